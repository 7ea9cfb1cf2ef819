using System.Numerics;

namespace Milan.Evaluation;

/// <summary>
/// A set of pixels over a whole probe set (bit i = image i / P, pixel i mod P) as packed 64-bit
/// words; the form in which IoU over a probe set is a count of set bits.
/// </summary>
public sealed class PixelSet
{
    public PixelSet(long length)
    {
        Length = length;
        Words = new ulong[(length + 63) / 64];
    }

    private PixelSet(long length, ulong[] words)
    {
        Length = length;
        Words = words;
    }

    public long Length { get; }
    public ulong[] Words { get; }

    /// <summary>Sets the bits at <paramref name="offset"/> + i where <paramref name="flags"/>[i] is not 0.</summary>
    public void SetFrom(ReadOnlySpan<byte> flags, long offset)
    {
        for (int i = 0; i < flags.Length; i++)
            if (flags[i] != 0)
            {
                long bit = offset + i;
                Words[bit >> 6] |= 1UL << (int)(bit & 63);
            }
    }

    public long Count()
    {
        long count = 0;
        foreach (var w in Words) count += BitOperations.PopCount(w);
        return count;
    }

    public PixelSet And(PixelSet other) => Combine(other, (a, b) => a & b);
    public PixelSet Or(PixelSet other) => Combine(other, (a, b) => a | b);

    public PixelSet Not()
    {
        var words = new ulong[Words.Length];
        for (int i = 0; i < words.Length; i++) words[i] = ~Words[i];
        int tail = (int)(Length & 63);
        if (tail != 0 && words.Length > 0) words[^1] &= (1UL << tail) - 1;
        return new PixelSet(Length, words);
    }

    /// <summary>|this ∩ other|.</summary>
    public long IntersectionCount(PixelSet other)
    {
        long count = 0;
        var a = Words;
        var b = other.Words;
        for (int i = 0; i < a.Length; i++) count += BitOperations.PopCount(a[i] & b[i]);
        return count;
    }

    /// <summary>|this ∩ other| over only the given word indices (those where this set has bits).</summary>
    public long IntersectionCount(PixelSet other, int[] words)
    {
        long count = 0;
        foreach (int i in words) count += BitOperations.PopCount(Words[i] & other.Words[i]);
        return count;
    }

    /// <summary>Indices of the words holding at least one bit.</summary>
    public int[] NonEmptyWords()
    {
        var result = new List<int>();
        for (int i = 0; i < Words.Length; i++) if (Words[i] != 0) result.Add(i);
        return [.. result];
    }

    private PixelSet Combine(PixelSet other, Func<ulong, ulong, ulong> op)
    {
        if (other.Length != Length) throw new ArgumentException($"pixel sets of {Length} and {other.Length} pixels");
        var words = new ulong[Words.Length];
        for (int i = 0; i < words.Length; i++) words[i] = op(Words[i], other.Words[i]);
        return new PixelSet(Length, words);
    }
}
