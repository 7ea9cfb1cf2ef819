using System.Runtime.InteropServices;
using SkiaSharp;

namespace Milan.Tests.Datasets;

/// <summary>Writes small test pictures with SkiaSharp from a pixel function.</summary>
internal static class TestImages
{
    /// <summary>An RGBA image whose pixel (x, y) is <paramref name="pixel"/>(x, y), encoded as PNG or JPEG by extension.</summary>
    public static void Write(string path, int width, int height, Func<int, int, (byte R, byte G, byte B, byte A)> pixel)
    {
        var bytes = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        {
            var (r, g, b, a) = pixel(x, y);
            int i = (y * width + x) * 4;
            (bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]) = (r, g, b, a);
        }
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        Encode(path, bitmap);
    }

    /// <summary>A one-channel (grey) PNG.</summary>
    public static void WriteGrey(string path, int width, int height, Func<int, int, byte> value)
    {
        var bytes = new byte[width * height];
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            bytes[y * width + x] = value(x, y);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        Encode(path, bitmap);
    }

    /// <summary>Deterministic noise with some structure, so resampling has something to get wrong.</summary>
    public static (byte, byte, byte, byte) Pattern(int x, int y, int seed) =>
        ((byte)((x * 37 + y * 11 + seed * 13) % 256), (byte)((x * x + 3 * y + seed) % 256), (byte)((x ^ y) * 5 % 256), 255);

    private static void Encode(string path, SKBitmap bitmap)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var format = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
        using var data = bitmap.Encode(format, 90);
        File.WriteAllBytes(path, data.ToArray());
    }
}
