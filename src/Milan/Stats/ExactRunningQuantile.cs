using static TorchSharp.torch;

namespace Milan.Stats;

/// <summary>
/// The exact per-unit q-quantile of a stream whose total length N is known in advance, keeping only
/// each unit's largest m = N − ⌊p⌋ values (p = the quantile position, <see cref="QuantilePositions.Of"/>):
/// the two sorted values around position p are always among them. For q = 0.99 that is about 1 % of
/// the data (torchsharp-notes.md §4: 6× faster than torch.quantile, and streaming).
///
/// Batches are reduced to their values above the current m-th largest value (a running top-m of the
/// tail), collected, and compacted with one top-m when they reach m, so the work per value is small
/// even when m is much larger than a batch. Memory: about 3·m floats per unit (<see cref="EstimateBytes"/>).
/// Shards built with the same total merge exactly (<see cref="Merge"/>). The result is exact for any
/// count up to the declared total. NaN values are not supported.
/// </summary>
public sealed class ExactRunningQuantile : IRunningQuantile
{
    private Tensor? _tail;              // (units, ≤ m) the largest values seen (unsorted)
    private readonly List<Tensor> _pending = [];
    private long _pendingWidth;
    private Tensor? _threshold;         // (units, 1) m-th largest value, once m values are held

    public ExactRunningQuantile(double q, long totalCount, QuantilePosition position = QuantilePosition.Linear)
    {
        Q = q;
        TotalCount = totalCount;
        Position = position;
        TailLength = TailLengthFor(q, totalCount, position);
    }

    public double Q { get; }
    public long TotalCount { get; }
    public QuantilePosition Position { get; }
    public long Count { get; private set; }
    public double RankErrorBound => 0;

    /// <summary>Values kept per unit: m = N − ⌊p⌋.</summary>
    public long TailLength { get; }

    /// <summary>m = N − ⌊p⌋ for a stream of <paramref name="totalCount"/> values.</summary>
    public static long TailLengthFor(double q, long totalCount, QuantilePosition position) =>
        totalCount - (long)Math.Floor(QuantilePositions.Of(position, q, totalCount));

    /// <summary>Peak bytes of the kept values for <paramref name="units"/> units (tail + pending + compaction).</summary>
    public static long EstimateBytes(long units, double q, long totalCount, QuantilePosition position) =>
        units * TailLengthFor(q, totalCount, position) * sizeof(float) * 3;

    /// <summary>
    /// Adds values: row u of <paramref name="valuesByUnit"/> (units, …) holds unit u's new values, in any
    /// shape and with any strides (a transposed view of a layer output works without a copy).
    /// </summary>
    public void Add(Tensor valuesByUnit)
    {
        if (valuesByUnit.dim() < 2) throw new ArgumentException($"values must be (units, n, ...), got [{string.Join(", ", valuesByUnit.shape)}]", nameof(valuesByUnit));
        long units = valuesByUnit.shape[0], n = valuesByUnit.numel() / Math.Max(1, units);
        if (Count + n > TotalCount)
            throw new InvalidOperationException($"{Count + n} values added to a quantile declared for {TotalCount}");
        if (_tail is not null && units != _tail.shape[0])
            throw new ArgumentException($"expected {_tail.shape[0]} units, got {units}", nameof(valuesByUnit));
        Count += n;
        if (n == 0) return;

        using var scope = NewDisposeScope();
        var device = _tail?.device ?? valuesByUnit.device;
        var values = valuesByUnit.detach().to(device).to(ScalarType.Float32);
        Tensor candidates;
        if (_threshold is null)
        {
            var rows = values.reshape(units, n);
            candidates = n <= TailLength ? rows.clone() : rows.topk((int)TailLength, 1, largest: true, sorted: false).values;
        }
        else
        {
            // Values at or below the m-th largest held value can never be needed again. The others are
            // found with one comparison and nonzero (which lists them unit by unit, as the mask is read in
            // row-major order), read from the values in place, and laid out one row per unit padded with
            // −inf (the padding never survives a compaction, as m real values ≥ the threshold are held).
            // Measured on conv1-sized batches this is about 6x cheaper than masking and a top-k of each row.
            var above = values.gt(_threshold.reshape([units, .. Enumerable.Repeat(1L, (int)values.dim() - 1)]));
            var positions = above.nonzero();                                   // (found, rank) in unit order
            if (positions.shape[0] == 0) return;
            var unitOf = positions.select(1, 0);
            var found = values.index([.. Enumerable.Range(0, (int)values.dim()).Select(d => TensorIndex.Tensor(positions.select(1, d)))]);
            var counts = unitOf.bincount(null, units);
            long needed = counts.max().item<long>();
            candidates = PadRows(found, unitOf, counts, needed);
        }
        _pending.Add(candidates.DetachFromDisposeScope());
        _pendingWidth += candidates.shape[1];
        long held = (_tail?.shape[1] ?? 0) + _pendingWidth;
        if (_pendingWidth >= TailLength || (_threshold is null && held >= TailLength)) Compact();
    }

    /// <summary>
    /// Values grouped by unit (<paramref name="counts"/>[u] of them for unit u, in unit order;
    /// <paramref name="unitOf"/> names each one's unit) as rows of <paramref name="width"/>, padded with −inf.
    /// </summary>
    private static Tensor PadRows(Tensor flat, Tensor unitOf, Tensor counts, long width)
    {
        long units = counts.shape[0];
        var rowStart = counts.cumsum(0, ScalarType.Int64) - counts;
        var column = arange(flat.shape[0], dtype: ScalarType.Int64, device: flat.device) - rowStart.index_select(0, unitOf);
        var rows = full(units * width, float.NegativeInfinity, dtype: ScalarType.Float32, device: flat.device);
        rows.index_put_(flat, unitOf * width + column);
        return rows.reshape(units, width);
    }

    /// <summary>Adds another shard's kept values; both must be declared for the same q, total and position.</summary>
    public void Merge(ExactRunningQuantile other)
    {
        if (other.Q != Q || other.TotalCount != TotalCount || other.Position != Position)
            throw new ArgumentException("shards must be declared with the same q, total count and position", nameof(other));
        if (Count + other.Count > TotalCount)
            throw new InvalidOperationException($"merged shards hold {Count + other.Count} values, more than the declared {TotalCount}");
        other.Compact();
        if (other._tail is not null)
        {
            if (_tail is not null && other._tail.shape[0] != _tail.shape[0])
                throw new ArgumentException($"expected {_tail.shape[0]} units, got {other._tail.shape[0]}", nameof(other));
            var device = _tail?.device ?? other._tail.device;
            _pending.Add(other._tail.to(device).clone());
            _pendingWidth += other._tail.shape[1];
        }
        Count += other.Count;
        Compact();
    }

    /// <summary>
    /// The values kept so far, (units, ≤ m) on the CPU in no particular order: with <see cref="Count"/>, all
    /// a shard needs to save to be merged later (<see cref="FromState"/>). Null before any value.
    /// </summary>
    public Tensor? HeldValues()
    {
        Compact();
        return _tail?.cpu().clone();
    }

    /// <summary>A quantile holding saved values (<see cref="HeldValues"/>) of <paramref name="count"/> values per unit.</summary>
    public static ExactRunningQuantile FromState(double q, long totalCount, QuantilePosition position, long count, Tensor held)
    {
        var quantile = new ExactRunningQuantile(q, totalCount, position) { Count = count };
        if (count > totalCount || held.dim() != 2 || held.shape[1] > quantile.TailLength)
            throw new ArgumentException($"saved values [{string.Join(", ", held.shape)}] of {count} do not fit a quantile of {totalCount} keeping {quantile.TailLength}");
        quantile._pending.Add(held.to(ScalarType.Float32).clone());
        quantile._pendingWidth = held.shape[1];
        quantile.Compact();
        return quantile;
    }

    public Tensor Result()
    {
        if (Count == 0) throw new InvalidOperationException("no values were added");
        Compact();
        using var scope = NewDisposeScope();
        // The tail sorted descending: sorted ascending position i is descending position Count−1−i.
        var descending = _tail!.sort(1, descending: true).Values;
        double position = QuantilePositions.Of(Position, Q, Count);
        long below = (long)Math.Floor(position), above = (long)Math.Ceiling(position);
        var low = descending.select(1, Count - 1 - below).to(ScalarType.Float64);
        var high = descending.select(1, Count - 1 - above).to(ScalarType.Float64);
        return Interpolate(low, high, position - below).to(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>low + (high − low)·t, computed from the nearer end as numpy's and torch's lerp do.</summary>
    internal static Tensor Interpolate(Tensor low, Tensor high, double t) =>
        t < 0.5 ? low + (high - low) * t : high - (high - low) * (1 - t);

    private void Compact()
    {
        if (_pending.Count == 0) return;
        using var scope = NewDisposeScope();
        var parts = _tail is null ? _pending.ToArray() : [_tail, .. _pending];
        var all = parts.Length == 1 ? parts[0] : cat(parts, 1);
        var kept = all.shape[1] > TailLength ? all.topk((int)TailLength, 1, largest: true, sorted: false).values : all.clone();
        foreach (var part in parts) part.Dispose();
        _pending.Clear();
        _pendingWidth = 0;
        _tail = kept.DetachFromDisposeScope();
        if (_tail.shape[1] == TailLength)
        {
            _threshold?.Dispose();
            _threshold = _tail.amin([1], keepdim: true).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var part in _pending) part.Dispose();
        _pending.Clear();
        _tail?.Dispose();
        _threshold?.Dispose();
        _tail = null;
        _threshold = null;
    }
}
