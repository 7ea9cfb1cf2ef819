using System.Numerics;

namespace Milan.World;

/// <summary>Pixel sets of an S x S image as bit arrays (one bit per pixel, row-major), for fast overlap counts.</summary>
internal static class PixelBits
{
    public static ulong[] Empty(int pixels) => new ulong[(pixels + 63) / 64];

    public static ulong[] FromBytes(ReadOnlySpan<byte> values, Func<byte, bool> member)
    {
        var bits = Empty(values.Length);
        for (int p = 0; p < values.Length; p++)
            if (member(values[p])) bits[p >> 6] |= 1UL << (p & 63);
        return bits;
    }

    public static int Count(ulong[] bits)
    {
        int count = 0;
        foreach (var word in bits) count += BitOperations.PopCount(word);
        return count;
    }

    public static int AndCount(ulong[] a, ulong[] b)
    {
        int count = 0;
        for (int i = 0; i < a.Length; i++) count += BitOperations.PopCount(a[i] & b[i]);
        return count;
    }

    public static ulong[] And(ulong[] a, ulong[] b)
    {
        var result = new ulong[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = a[i] & b[i];
        return result;
    }

    public static ulong[] Or(ulong[] a, ulong[] b)
    {
        var result = new ulong[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = a[i] | b[i];
        return result;
    }

    /// <summary>A mask resampled to another size by nearest neighbour (pixel centres).</summary>
    public static byte[] Resample(byte[] mask, int from, int to)
    {
        if (from == to) return mask;
        var result = new byte[to * to];
        for (int y = 0; y < to; y++)
        {
            int sy = Math.Min(from - 1, (int)((y + 0.5) * from / to));
            for (int x = 0; x < to; x++)
                result[y * to + x] = mask[sy * from + Math.Min(from - 1, (int)((x + 0.5) * from / to))];
        }
        return result;
    }
}
