using System.Numerics;
using SkiaSharp;

namespace Milan.Datasets.Photos;

/// <summary>
/// What the photo filter looks at in one image, measured on the image scaled so that its shorter side
/// is at most <see cref="MeasureSide"/> pixels (a fixed scale, so that counts compare across images),
/// over its opaque pixels (alpha ≥ 128) only:
/// <list type="bullet">
/// <item><see cref="Colours"/>: distinct colours at 5 bits per channel (of 32,768). Photographs have
/// thousands; drawings, icons and text a few hundred at most.</item>
/// <item><see cref="TopColourShare"/>: share of the pixels in the 8 most frequent of those colours.
/// Flat fills put most pixels in a few colours; photographs spread them.</item>
/// <item><see cref="FlatShare"/>: share of horizontally adjacent pixel pairs whose channels differ by at
/// most 1 (out of 255). Photographs have sensor noise and texture almost everywhere.</item>
/// </list>
/// <see cref="AverageHash"/> is the 64-bit average hash (8 × 8 grey means above the overall mean) used
/// to find the same picture at several sizes.
/// </summary>
public sealed record PhotoStatistics(int Width, int Height, bool HasTransparency, double OpaqueShare, int Colours,
                                     double TopColourShare, double FlatShare, ulong AverageHash)
{
    public const int MeasureSide = 256;

    public int ShorterSide => Math.Min(Width, Height);

    /// <summary>The statistics of an encoded image, or null when SkiaSharp cannot decode it or it has more than <see cref="ImageFolderSource.DefaultMaxImagePixels"/> pixels.</summary>
    public static PhotoStatistics? Measure(byte[] encoded)
    {
        var decoded = Decode(encoded, MeasureSide);
        if (decoded is null) return null;
        var (rgba, width, height, originalWidth, originalHeight) = decoded.Value;
        int pixels = width * height, opaque = 0, pairs = 0, flat = 0;
        bool transparent = false;
        var histogram = new int[1 << 15];
        for (int i = 0; i < pixels; i++)
        {
            byte alpha = rgba[i * 4 + 3];
            if (alpha < 255) transparent = true;
            if (alpha < 128) continue;
            opaque++;
            histogram[(rgba[i * 4] >> 3) << 10 | (rgba[i * 4 + 1] >> 3) << 5 | rgba[i * 4 + 2] >> 3]++;
        }
        for (int y = 0; y < height; y++)
            for (int x = 0; x + 1 < width; x++)
            {
                int a = (y * width + x) * 4, b = a + 4;
                if (rgba[a + 3] < 128 || rgba[b + 3] < 128) continue;
                pairs++;
                if (Math.Abs(rgba[a] - rgba[b]) <= 1 && Math.Abs(rgba[a + 1] - rgba[b + 1]) <= 1 && Math.Abs(rgba[a + 2] - rgba[b + 2]) <= 1) flat++;
            }
        int colours = histogram.Count(c => c > 0);
        long top = histogram.OrderDescending().Take(8).Sum(c => (long)c);
        return new PhotoStatistics(originalWidth, originalHeight, transparent, pixels == 0 ? 0 : (double)opaque / pixels, colours,
            opaque == 0 ? 1 : (double)top / opaque, pairs == 0 ? 1 : (double)flat / pairs, AverageHashOf(rgba, width, height));
    }

    /// <summary>Hamming distance between two average hashes.</summary>
    public static int HashDistance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>
    /// Decodes to unpremultiplied RGBA, scaled (never up) so that the shorter side is at most
    /// <paramref name="maxShorterSide"/>; JPEG and WebP are scaled while decoding, the rest after. Null
    /// when it cannot be decoded or declares more pixels than ImageFolderSource accepts (a decompression bomb).
    /// </summary>
    public static (byte[] Rgba, int Width, int Height, int OriginalWidth, int OriginalHeight)? Decode(byte[] encoded, int maxShorterSide)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        int originalWidth = codec.Info.Width, originalHeight = codec.Info.Height;
        if (originalWidth <= 0 || originalHeight <= 0 || (long)originalWidth * originalHeight > ImageFolderSource.DefaultMaxImagePixels) return null;
        float scale = Math.Min(1f, (float)maxShorterSide / Math.Min(originalWidth, originalHeight));
        var size = scale < 1 ? codec.GetScaledDimensions(scale) : codec.Info.Size;
        var bitmap = DecodeAt(codec, size) ?? DecodeAt(codec, codec.Info.Size);
        if (bitmap is null) return null;
        using (bitmap)
        {
            int targetWidth = Math.Max(1, (int)Math.Round(originalWidth * scale)), targetHeight = Math.Max(1, (int)Math.Round(originalHeight * scale));
            if (bitmap.Width <= targetWidth && bitmap.Height <= targetHeight)
                return (bitmap.Bytes, bitmap.Width, bitmap.Height, originalWidth, originalHeight);
            using var scaled = new SKBitmap(new SKImageInfo(targetWidth, targetHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            if (!bitmap.ScalePixels(scaled, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))) return null;
            return (scaled.Bytes, targetWidth, targetHeight, originalWidth, originalHeight);
        }
    }

    private static SKBitmap? DecodeAt(SKCodec codec, SKSizeI size)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is SKCodecResult.Success or SKCodecResult.IncompleteInput) return bitmap;
        bitmap.Dispose();
        return null;
    }

    /// <summary>8 × 8 block means of grey (transparent pixels count as mid grey), one bit per block above their mean.</summary>
    private static ulong AverageHashOf(byte[] rgba, int width, int height)
    {
        var sums = new double[64];
        var counts = new int[64];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 4, block = y * 8 / height * 8 + x * 8 / width;
                double alpha = rgba[i + 3] / 255.0;
                double grey = 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
                sums[block] += alpha * grey + (1 - alpha) * 128;
                counts[block]++;
            }
        var means = sums.Select((s, b) => counts[b] == 0 ? 128 : s / counts[b]).ToArray();
        double mean = means.Average();
        ulong hash = 0;
        for (int b = 0; b < 64; b++) if (means[b] > mean) hash |= 1UL << b;
        return hash;
    }
}
