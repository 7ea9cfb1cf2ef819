using System.Globalization;

namespace Milan.Exemplars;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (0-based, as Slurm's array task ids from 0 and a
/// Kubernetes Indexed Job's completion index): a contiguous slice of the image source. Slices are cut
/// at batch boundaries, so every batch is the one the unsharded run would form; the merged result is
/// then the unsharded run's, byte for byte (docs/sharding.md).
/// </summary>
public sealed record ShardSlice(int Index, int Count)
{
    /// <summary>Parses "i/n" (0 ≤ i &lt; n), naming the option in the error.</summary>
    public static ShardSlice Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index < count)
            return new ShardSlice(index, count);
        throw new MilanInputException($"--shard {text}: expected i/n with 0 ≤ i < n, e.g. 0/4 for the first of four shards");
    }

    /// <summary>Images [First, End) of this shard: batches ⌊i·B/n⌋ … ⌊(i+1)·B/n⌋ − 1 of the B batches of the source.</summary>
    public (int First, int End) Images(int imageCount, int batchSize)
    {
        long batches = (imageCount + (long)batchSize - 1) / batchSize;
        int Start(long shard) => (int)Math.Min(imageCount, shard * batches / Count * batchSize);
        return (Start(Index), Start(Index + 1));
    }

    public override string ToString() => $"{Index}/{Count}";
}
