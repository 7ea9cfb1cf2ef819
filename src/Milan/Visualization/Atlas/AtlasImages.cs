using System.Runtime.InteropServices;
using SkiaSharp;

namespace Milan.Visualization.Atlas;

/// <summary>
/// The atlas's pictures as JPEG: photographs compress about five times better than as PNG, which keeps
/// an atlas of a real network (a thousand units of fifteen 224-pixel images) a few hundred megabytes.
/// </summary>
public static class AtlasImages
{
    private const int Quality = 85;

    /// <summary>RGBA pixels (height × width × 4) as JPEG, scaled down (never up) to at most <paramref name="maxWidth"/> pixels wide.</summary>
    public static byte[] Jpeg(byte[] rgba, int width, int height, int maxWidth = int.MaxValue)
    {
        if (rgba.Length != width * height * 4) throw new ArgumentException($"expected {width * height * 4} RGBA bytes, got {rgba.Length}");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), width * 4);
            if (width <= maxWidth) return Encode(pixmap);
            int scaledHeight = Math.Max(1, (int)Math.Round((double)height * maxWidth / width));
            using var scaled = new SKBitmap(new SKImageInfo(maxWidth, scaledHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
            if (!pixmap.ScalePixels(scaled.PeekPixels(), new SKSamplingOptions(SKCubicResampler.Mitchell)))
                throw new InvalidOperationException("scaling failed");
            using var scaledPixmap = scaled.PeekPixels();
            return Encode(scaledPixmap);
        }
        finally
        {
            handle.Free();
        }
    }

    private static byte[] Encode(SKPixmap pixmap)
    {
        using var data = pixmap.Encode(new SKJpegEncoderOptions(Quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
                         ?? throw new InvalidOperationException("JPEG encoding failed");
        return data.ToArray();
    }
}
