using System.Runtime.InteropServices;
using SkiaSharp;
using Milan.IO;

namespace Milan.Datasets;

/// <summary>
/// Decodes an image file with SkiaSharp to 8-bit RGBA pixels, matching what PIL's
/// <c>Image.open(path).convert("RGB")</c> (torchvision's ImageFolder loader) sees: alpha is dropped
/// without compositing (unpremultiplied colour is kept), grey and palette images become RGB, no
/// colour management, and EXIF orientation is not applied. A truncated or unreadable file is an
/// input error naming it.
/// <para>
/// The size is read from the file's header before any pixel is decoded, and an image with more than
/// <c>maxPixels</c> pixels is refused: a small file can declare a huge image (a "decompression bomb":
/// a valid 20000×20000 PNG is about 1 MB), and decoding it would take gigabytes and minutes.
/// </para>
/// </summary>
internal static class ImageDecoder
{
    public const int BytesPerPixel = 4;

    /// <exception cref="MilanInputException">the file is unreadable, damaged, or larger than <paramref name="maxPixels"/></exception>
    public static (byte[] Pixels, int Width, int Height) DecodeRgba(string path, long maxPixels)
    {
        using var file = InputFile.OpenRead(path);
        using var codec = SKCodec.Create(file, out var opened);
        if (codec is null)
            throw MilanInputException.InFile(path, $"cannot decode this image ({Describe(opened)}); it may be corrupt or in a format SkiaSharp does not read (it reads JPEG, PNG, BMP, WebP, GIF)");
        long pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > maxPixels)
            throw MilanInputException.InFile(path,
                $"the image is {codec.Info.Width}×{codec.Info.Height} ({pixels:N0} pixels), more than the limit of {maxPixels:N0} pixels; "
                + "it was not decoded (a file this small declaring an image this large may be a decompression bomb). "
                + "If the image is genuine, raise the limit (--max-image-pixels, or the maxImagePixels argument of ImageFolderSource)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.BytesSize64 > Array.MaxLength)
            throw MilanInputException.InFile(path, $"the image is {codec.Info.Width}×{codec.Info.Height}: too large to decode into one array (at most {Array.MaxLength / BytesPerPixel:N0} pixels)");
        var rgba = new byte[info.BytesSize64];
        SKCodecResult result;
        var pinned = GCHandle.Alloc(rgba, GCHandleType.Pinned);
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
        return (rgba, info.Width, info.Height);
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "the file is truncated or damaged",
        SKCodecResult.Unimplemented => "unsupported format or variant",
        _ => result.ToString(),
    };
}
