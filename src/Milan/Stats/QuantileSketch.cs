using static TorchSharp.torch;

namespace Milan.Stats;

/// <summary>
/// A mergeable approximate per-unit quantile sketch in the style of KLL (Karnin, Lang, Liberty 2016),
/// for streams too long for <see cref="ExactRunningQuantile"/>; the reference uses a sketch of the same
/// family (netdissect's RunningQuantile, resolution 4096). All units share one level structure, so each
/// level is one (units, size) tensor and every operation is vectorised over units.
///
/// Level h holds values of weight 2^h. A level that reaches its capacity, ⌈c·(2/3)^(H−h)⌉ (at least 2,
/// H = top level, c = <see cref="Capacity"/>), is compacted: sorted per unit, then every other value
/// (odd or even positions, chosen by a seeded coin) moves up with double weight; with an odd size the
/// largest value stays. For any fixed x, one compaction at level h changes the weighted count of values
/// ≤ x by 0 or ±2^h with equal probability, so the rank error E of x is a sum of zero-mean martingale
/// steps and, by the Azuma–Hoeffding inequality, P(|E| ≥ t) ≤ 2·exp(−t² / (2·Σ 4^h)) over the
/// compactions done; deterministically |E| ≤ Σ 2^h. <see cref="RankErrorBoundAt"/> turns these sums
/// (tracked exactly) into a bound on the read quantile's position. Errors in the whole structure are
/// independent of the data order; merged shards add their sums.
///
/// Once the stream is long (top-level weight above c), new values are sampled into a higher level
/// instead of being sorted in at level 0 (<see cref="SamplingLevel"/>), as the reference's sketch also
/// samples; each sampled run is another bounded zero-mean error term in the same sums.
///
/// Reading follows the reference: retained values sorted with their weights, cumulative weights shifted
/// by −w/2 and divided by N, then linear interpolation at q (as numpy.interp). With no compaction
/// (N below the level-0 capacity) this is exactly <see cref="QuantilePosition.Hazen"/>.
/// </summary>
public sealed class QuantileSketch : IRunningQuantile
{
    /// <summary>Failure probability behind <see cref="RankErrorBound"/>.</summary>
    public const double DefaultDelta = 0.01;

    private readonly List<Tensor?> _levels = [];   // level h: (units, size) values of weight 2^h
    private readonly Random _coins;
    private double _sumWeights;                    // Σ 2^h over compactions
    private double _sumSquaredWeights;             // Σ 4^h over compactions

    public QuantileSketch(double q, int capacity = 4096, int seed = 0)
    {
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "q must lie in [0, 1]");
        if (capacity < 8) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be at least 8");
        Q = q;
        Capacity = capacity;
        _coins = new Random(seed);
    }

    public double Q { get; }

    /// <summary>Capacity c of the top level; memory is about 3·c floats per unit.</summary>
    public int Capacity { get; }

    public long Count { get; private set; }

    /// <summary>Number of values held per unit.</summary>
    public long Retained => _levels.Sum(l => l?.shape[1] ?? 0);

    public double RankErrorBound => RankErrorBoundAt(DefaultDelta);

    /// <summary>
    /// With probability at least 1 − <paramref name="delta"/>, the value read for a quantile lies between
    /// the exact sorted values at positions p − B and p + B, where p = q·N − 0.5 is the Hazen position and B
    /// is this bound: the compaction error at failure probability δ/2 for each of the two true values
    /// around the answer, min(Σ 2^h, √(2·ln(4/δ)·Σ 4^h)), plus the largest retained weight (the read-out
    /// interpolates between neighbouring retained values), plus 1 for rounding of positions.
    /// </summary>
    public double RankErrorBoundAt(double delta)
    {
        if (delta is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must lie in (0, 1)");
        double compaction = Math.Min(_sumWeights, Math.Sqrt(2 * Math.Log(4 / delta) * _sumSquaredWeights));
        int top = _levels.FindLastIndex(l => l is not null && l.shape[1] > 0);
        double largestWeight = top < 0 ? 0 : Math.Pow(2, top);
        return compaction + (top > 0 ? largestWeight : 0) + 1;
    }

    /// <summary>Adds values: row u of <paramref name="valuesByUnit"/> (units, …) holds unit u's new values, in row-major order.</summary>
    public void Add(Tensor valuesByUnit)
    {
        if (valuesByUnit.dim() < 2) throw new ArgumentException($"values must be (units, n, ...), got [{string.Join(", ", valuesByUnit.shape)}]", nameof(valuesByUnit));
        if (Units > 0 && valuesByUnit.shape[0] != Units)
            throw new ArgumentException($"expected {Units} units, got {valuesByUnit.shape[0]}", nameof(valuesByUnit));
        long n = valuesByUnit.numel() / Math.Max(1, valuesByUnit.shape[0]);
        if (n == 0) return;
        using (NewDisposeScope())
        {
            var device = Device ?? valuesByUnit.device;
            var values = valuesByUnit.detach().to(device).to(ScalarType.Float32).reshape(valuesByUnit.shape[0], n);
            int level = SamplingLevel();
            long weight = 1L << level, sampled = level == 0 ? 0 : n - n % weight;
            if (sampled > 0)
            {
                // One value drawn at random from each run of `weight` consecutive values enters level
                // `level` directly: a zero-mean rank error of at most `weight` per run, tracked like a compaction.
                long runs = sampled / weight;
                var picks = new long[runs];
                for (long r = 0; r < runs; r++) picks[r] = r * weight + _coins.NextInt64(weight);
                Append(level, values.index_select(1, tensor(picks, device: device)));
                _sumWeights += sampled;
                _sumSquaredWeights += (double)sampled * weight;
                SampledCount += sampled;
            }
            if (sampled < n) Append(0, values.narrow(1, sampled, n - sampled));
        }
        Count += n;
        Compress();
    }

    /// <summary>Values that entered by sampling rather than through level 0 (see <see cref="SamplingLevel"/>).</summary>
    internal long SampledCount { get; private set; }

    /// <summary>
    /// The level at which new values are sampled: s = H − ⌊log2 c⌋ once the top level H weighs more than
    /// the capacity c, else 0 (no sampling). Sorting whole batches into level 0 costs a sort of every value,
    /// which dominates long streams (a 401k-value batch per unit of ResNet conv1 at 224 px takes longer to
    /// sort than the forward pass); sampling at weight 2^s ≤ 2^H/c adds N·2^s ≤ N·2^H/c ≈ (N/c)² to Σ 4^h,
    /// the same order as the top level's own compactions, so the bound grows by a constant factor at most.
    /// </summary>
    private int SamplingLevel() => Math.Max(0, _levels.Count - 1 - (int)Math.Floor(Math.Log2(Capacity)));

    /// <summary>Adds another sketch of the same units (a shard of the same stream); both keep their own coins.</summary>
    public void Merge(QuantileSketch other)
    {
        if (other.Units > 0 && Units > 0 && other.Units != Units)
            throw new ArgumentException($"expected {Units} units, got {other.Units}", nameof(other));
        var device = Device ?? other.Device;
        for (int h = 0; h < other._levels.Count; h++)
        {
            if (other._levels[h] is not { } level || level.shape[1] == 0) continue;
            using (NewDisposeScope()) Append(h, level.to(device!).clone());
        }
        Count += other.Count;
        _sumWeights += other._sumWeights;
        _sumSquaredWeights += other._sumSquaredWeights;
        Compress();
    }

    /// <summary>What a shard saves to be merged later (<see cref="FromState"/>): levels as CPU copies and the error sums.</summary>
    public QuantileSketchState State() =>
        new(Count, _sumWeights, _sumSquaredWeights, _levels.Select(l => l is { } level && level.shape[1] > 0 ? level.cpu().clone() : null).ToList());

    /// <summary>A sketch holding a saved <see cref="State"/>; its coins for later compactions start from <paramref name="seed"/>.</summary>
    public static QuantileSketch FromState(double q, int capacity, int seed, QuantileSketchState state)
    {
        var sketch = new QuantileSketch(q, capacity, seed)
        {
            Count = state.Count,
            _sumWeights = state.SumWeights,
            _sumSquaredWeights = state.SumSquaredWeights,
        };
        foreach (var level in state.Levels) sketch._levels.Add(level?.to(ScalarType.Float32).clone());
        return sketch;
    }

    public Tensor Result() => Quantile(Q);

    /// <summary>The approximate <paramref name="q"/>-quantile of every unit, (units,) float32 on the CPU.</summary>
    public Tensor Quantile(double q)
    {
        if (Count == 0) throw new InvalidOperationException("no values were added");
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "q must lie in [0, 1]");
        using var scope = NewDisposeScope();
        var device = Device!;
        var values = new List<Tensor>();
        var weights = new List<Tensor>();
        for (int h = 0; h < _levels.Count; h++)
        {
            if (_levels[h] is not { } level || level.shape[1] == 0) continue;
            values.Add(level);
            weights.Add(full(level.shape[1], Math.Pow(2, h), dtype: ScalarType.Float64, device: device));
        }
        var allValues = cat(values, 1);
        var allWeights = cat(weights, 0).unsqueeze(0).expand(allValues.shape[0], -1);
        var (sorted, order) = allValues.sort(1);
        var sortedWeights = allWeights.gather(1, order);
        var cdf = (sortedWeights.cumsum(1) - sortedWeights / 2) / Count;

        // numpy.interp(q, cdf, sorted) per unit, clamping outside [cdf[0], cdf[last]].
        long last = cdf.shape[1] - 1;
        var query = full(new long[] { cdf.shape[0], 1 }, q, dtype: ScalarType.Float64, device: device);
        var right = searchsorted(cdf, query, right: true).clamp(1, Math.Max(1, last));
        var left = (right - 1).clamp(0, last);
        right = right.clamp(0, last);
        var x0 = cdf.gather(1, left);
        var x1 = cdf.gather(1, right);
        var y0 = sorted.gather(1, left).to(ScalarType.Float64);
        var y1 = sorted.gather(1, right).to(ScalarType.Float64);
        var span = x1 - x0;
        var t = where(span.gt(0), ((query - x0) / where(span.gt(0), span, ones_like(span))).clamp(0, 1), zeros_like(span));
        var result = (y0 + (y1 - y0) * t).squeeze(1);
        return result.to(ScalarType.Float32).cpu().MoveToOuterDisposeScope();
    }

    private long Units => _levels.FirstOrDefault(l => l is not null)?.shape[0] ?? 0;

    private Device? Device => _levels.FirstOrDefault(l => l is not null)?.device;

    private long LevelSize(int h) => h < _levels.Count ? _levels[h]?.shape[1] ?? 0 : 0;

    private long CapacityOf(int h)
    {
        int top = Math.Max(0, _levels.Count - 1);
        return Math.Max(2, (long)Math.Ceiling(Capacity * Math.Pow(2.0 / 3.0, top - h)));
    }

    /// <summary>Appends values (created in the caller's scope) to level h.</summary>
    private void Append(int h, Tensor values)
    {
        while (_levels.Count <= h) _levels.Add(null);
        var current = _levels[h];
        var combined = current is null ? values.clone() : cat([current, values], 1);
        _levels[h] = combined.DetachFromDisposeScope();
        current?.Dispose();
    }

    private void Compress()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int h = 0; h < _levels.Count; h++)
            {
                if (LevelSize(h) < CapacityOf(h)) continue;
                Compact(h);
                changed = true;
                break;
            }
        }
    }

    private void Compact(int h)
    {
        using var scope = NewDisposeScope();
        var level = _levels[h]!;
        long size = level.shape[1];
        long even = size - size % 2;
        var sorted = level.sort(1).Values;
        long offset = _coins.Next(2);
        var promoted = sorted.narrow(1, 0, even).narrow(1, offset, even - offset).slice(1, 0, even - offset, 2);
        var kept = size % 2 == 1 ? sorted.narrow(1, even, 1) : null;
        Append(h + 1, promoted);
        _levels[h] = kept?.clone().DetachFromDisposeScope();
        level.Dispose();
        double weight = Math.Pow(2, h);
        _sumWeights += weight;
        _sumSquaredWeights += weight * weight;
    }

    public void Dispose()
    {
        foreach (var level in _levels) level?.Dispose();
        _levels.Clear();
    }
}

/// <summary>A <see cref="QuantileSketch"/> as saved by a shard: values per unit held, error sums, and the levels (null when empty).</summary>
public sealed record QuantileSketchState(long Count, double SumWeights, double SumSquaredWeights, IReadOnlyList<Tensor?> Levels);
