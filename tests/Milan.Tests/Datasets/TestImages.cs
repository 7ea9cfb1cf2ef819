using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
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

    /// <summary>
    /// A valid black PNG of any size written without holding its pixels: 1-bit greyscale rows of
    /// zeros, deflated as they stream out, so a 20000×20000 image is a file of about 50 KB (a
    /// "decompression bomb"). <paramref name="keepRows"/> writes only that many rows of the image
    /// data (a truncated file with a complete header).
    /// </summary>
    public static void WriteBlankPng(string path, int width, int height, int? keepRows = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1;   // bit depth 1, colour type 0 (grey), deflate, filter 0, no interlace
        Chunk(file, "IHDR", header);
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + (width + 7) / 8];   // filter byte 0, then the packed bits
            for (int y = 0; y < (keepRows ?? height); y++) zlib.Write(row);
        }
        Chunk(file, "IDAT", deflated.ToArray());
        if (keepRows is null) Chunk(file, "IEND", []);
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        file.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        file.Write(crc);
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
