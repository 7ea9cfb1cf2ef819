using System.Runtime.InteropServices;
using SkiaSharp;

namespace Milan.Datasets;

/// <summary>
/// Decodes an image file with SkiaSharp to 8-bit RGBA pixels, matching what PIL's
/// <c>Image.open(path).convert("RGB")</c> (torchvision's ImageFolder loader) sees: alpha is dropped
/// without compositing (unpremultiplied colour is kept), grey and palette images become RGB, no
/// colour management, and EXIF orientation is not applied. A truncated or unreadable file is an
/// input error naming it.
/// </summary>
internal static class ImageDecoder
{
    public const int BytesPerPixel = 4;

    public static (byte[] Pixels, int Width, int Height) DecodeRgba(string path)
    {
        using var codec = SKCodec.Create(path, out var opened);
        if (codec is null)
            throw MilanInputException.InFile(path, $"cannot decode this image ({Describe(opened)}); it may be corrupt or in a format SkiaSharp does not read (it reads JPEG, PNG, BMP, WebP, GIF)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        SKCodecResult result;
        var pinned = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            result = codec.GetPixels(info, pinned.AddrOfPinnedObject());
        }
        finally
        {
            pinned.Free();
        }
        if (result != SKCodecResult.Success)
            throw MilanInputException.InFile(path, $"cannot decode this image ({Describe(result)})");
        return (pixels, info.Width, info.Height);
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "the file is truncated or damaged",
        SKCodecResult.Unimplemented => "unsupported format or variant",
        _ => result.ToString(),
    };
}
