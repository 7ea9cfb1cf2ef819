using static TorchSharp.torch;

namespace Milan.Stats;

/// <summary>
/// The k largest scores per unit over a stream of (items, units) batches, with the dataset index of
/// each item, kept on the device of the first batch. Order within a unit: score descending, and among
/// equal scores the lower dataset index first, so the result does not depend on batch sizes or on
/// how a dataset is split into shards. Shards of disjoint items merge exactly (<see cref="Merge"/>).
/// NaN scores rank above every number (torch's sort order); callers should not feed them.
/// </summary>
public sealed class RunningTopK : IDisposable
{
    private Tensor? _values;   // (units, width), sorted by the order above
    private Tensor? _indices;  // (units, width) int64 dataset indices

    public RunningTopK(int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");
        K = k;
    }

    public int K { get; }

    /// <summary>Items seen so far (per unit).</summary>
    public long Count { get; private set; }

    /// <summary>Units per item, or 0 before the first batch.</summary>
    public long Units => _values?.shape[0] ?? 0;

    /// <summary>Entries kept per unit: min(k, Count).</summary>
    public long Width => _values?.shape[1] ?? 0;

    /// <summary>Adds a batch of scores (items, units) for the items firstIndex, firstIndex+1, ...</summary>
    public void Add(Tensor scores, long firstIndex)
    {
        using var scope = NewDisposeScope();
        Select(scores, ConsecutiveIndices(scores, firstIndex));
    }

    /// <summary>
    /// Adds a batch of scores (items, units) for the items with the given dataset indices: (items,), or
    /// (items, units) when each unit has its own items (as in <see cref="Merge"/>).
    /// </summary>
    public void Add(Tensor scores, Tensor indices)
    {
        using var scope = NewDisposeScope();
        Select(scores, indices);
    }

    /// <summary>
    /// Like <see cref="Add(Tensor, long)"/>, and returns where each new entry came from: a (units, width)
    /// int64 tensor whose value p means "previous entry p of this unit" when p &lt; the previous width w,
    /// otherwise "row p − w of this batch". Lets callers carry a payload (e.g. feature maps) along.
    /// </summary>
    public Tensor AddTracked(Tensor scores, long firstIndex)
    {
        using var scope = NewDisposeScope();
        return Select(scores, ConsecutiveIndices(scores, firstIndex)).MoveToOuterDisposeScope();
    }

    /// <summary>Adds another shard's entries; the shards must hold disjoint dataset indices.</summary>
    public void Merge(RunningTopK other)
    {
        using var scope = NewDisposeScope();
        MergeTracked(other)?.Dispose();
    }

    /// <summary>
    /// Like <see cref="Merge"/>, and returns where each new entry came from as <see cref="AddTracked"/> does:
    /// p &lt; the previous width w means "previous entry p", otherwise "entry p − w of the other shard"
    /// (null when the other shard is empty and nothing changed).
    /// </summary>
    public Tensor? MergeTracked(RunningTopK other)
    {
        if (other.K != K) throw new ArgumentException($"cannot merge a top-{other.K} into a top-{K}", nameof(other));
        if (other._values is null) return null;
        using var scope = NewDisposeScope();
        long before = Count;
        // Entries of the other shard enter as a batch of "items" whose rows are its ranks.
        var sources = Select(other._values.t(), other._indices!.t());
        Count = before + other.Count;
        return sources.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A top-k holding saved entries (<see cref="Result"/> of another one, (units, width) each) of
    /// <paramref name="count"/> items, e.g. a shard read back from disk.
    /// </summary>
    public static RunningTopK FromState(int k, Tensor values, Tensor indices, long count)
    {
        if (values.dim() != 2 || !values.shape.SequenceEqual(indices.shape) || values.shape[1] > k)
            throw new ArgumentException($"expected values and indices of the same shape (units, ≤ {k}), got [{string.Join(", ", values.shape)}] and [{string.Join(", ", indices.shape)}]");
        return new RunningTopK(k)
        {
            _values = values.to(ScalarType.Float32).clone(),
            _indices = indices.to(ScalarType.Int64).clone(),
            Count = count,
        };
    }

    /// <summary>Copies of the kept scores and dataset indices, each (units, width), on the CPU.</summary>
    public (Tensor Values, Tensor Indices) Result()
    {
        if (_values is null) throw new InvalidOperationException("no scores were added");
        return (_values.cpu().clone(), _indices!.cpu().clone());
    }

    private Tensor ConsecutiveIndices(Tensor scores, long firstIndex) =>
        arange(firstIndex, firstIndex + scores.shape[0], dtype: ScalarType.Int64, device: scores.device);

    /// <summary>Merges a batch into the kept entries and returns the source positions (see AddTracked).</summary>
    private Tensor Select(Tensor scores, Tensor indices)
    {
        if (scores.dim() != 2) throw new ArgumentException($"scores must be (items, units), got [{string.Join(", ", scores.shape)}]", nameof(scores));
        // Indices are one per item (items,), or one per item and unit (items, units) when merging shards.
        bool perUnit = indices.dim() == 2 && indices.shape[1] == scores.shape[1];
        if ((indices.dim() != 1 && !perUnit) || indices.shape[0] != scores.shape[0])
            throw new ArgumentException("one dataset index per item is needed", nameof(indices));
        if (_values is not null && scores.shape[1] != Units)
            throw new ArgumentException($"expected {Units} units, got {scores.shape[1]}", nameof(scores));

        var device = _values?.device ?? scores.device;
        long units = scores.shape[1], items = scores.shape[0];
        var batchValues = scores.detach().to(device).to(ScalarType.Float32).t();
        var batchIndices = perUnit
            ? indices.to(device).to(ScalarType.Int64).t()
            : indices.to(device).to(ScalarType.Int64).unsqueeze(0).expand(units, items);
        var candidates = _values is null ? batchValues : cat([_values, batchValues], 1);
        var candidateIndices = _values is null ? batchIndices : cat([_indices!, batchIndices], 1);

        // Lexicographic order (score descending, index ascending) from two stable sorts: first by
        // index, then by score, which keeps equal scores in index order.
        var byIndex = candidateIndices.sort(1, descending: false, stable: true).Indices;
        var scoresByIndex = candidates.gather(1, byIndex);
        var byScore = scoresByIndex.sort(1, descending: true, stable: true).Indices;
        long width = Math.Min(K, candidates.shape[1]);
        var order = byIndex.gather(1, byScore).narrow(1, 0, width);

        var newValues = candidates.gather(1, order).DetachFromDisposeScope();
        var newIndices = candidateIndices.gather(1, order).DetachFromDisposeScope();
        _values?.Dispose();
        _indices?.Dispose();
        _values = newValues;
        _indices = newIndices;
        Count += items;
        return order;
    }

    public void Dispose()
    {
        _values?.Dispose();
        _indices?.Dispose();
        _values = null;
        _indices = null;
    }
}
