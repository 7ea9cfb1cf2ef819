using System.Runtime.InteropServices;
using SkiaSharp;

namespace Milan.Datasets;

/// <summary>PNG encoding of RGBA pixels (8 bits per channel, rows top to bottom, opaque).</summary>
public static class PngImage
{
    public static byte[] Encode(byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), width * 4);
            // Sub filtering with light zlib compression: several times faster than the defaults, files ~20 % larger.
            using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 3))
                             ?? throw new InvalidOperationException("PNG encoding failed");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>RGBA pixels of one image given as planar RGB bytes (3, size, size).</summary>
    public static byte[] Rgba(ReadOnlySpan<byte> planar, int size)
    {
        int plane = size * size;
        var rgba = new byte[plane * 4];
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++) rgba[p * 4 + c] = planar[c * plane + p];
            rgba[p * 4 + 3] = 255;
        }
        return rgba;
    }
}
