using SkiaSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Milan.Exemplars;

/// <summary>
/// A contact sheet of one unit's exemplars for people to look at: the k images in rank order in rows of
/// five, pixels outside the mask dimmed to 25 % (as the reference's visualisation) and the mask's
/// outline drawn in yellow.
/// </summary>
public static class ExemplarSheet
{
    public const int Columns = 5;
    private const int Gap = 2;
    private static readonly byte[] Outline = [255, 214, 0];
    private static readonly byte[] Background = [32, 32, 32];

    /// <summary>The sheet as an (3, H, W) uint8 tensor from images (k, 3, S, S) and masks (k, 1, S, S) uint8.</summary>
    public static Tensor Compose(Tensor images, Tensor masks)
    {
        using var scope = NewDisposeScope();
        long k = images.shape[0], size = images.shape[2];
        var mask = masks.to(ScalarType.Float32);
        var dimmed = images.to(ScalarType.Float32) * (mask + (1 - mask) * 0.25f);
        // Outline: mask pixels with a pixel outside the mask within the line's reach (image edges do not count).
        int reach = (int)Math.Max(1, size / 112);
        var outside = F.max_pool2d(1 - mask, 2 * reach + 1, stride: 1, padding: reach);
        var edge = mask.gt(0).logical_and(outside.gt(0));
        var colour = tensor(Outline.Select(b => (float)b).ToArray()).reshape(1, 3, 1, 1);
        var tiles = where(edge, colour.expand_as(dimmed), dimmed).to(ScalarType.Byte);

        long columns = Math.Min(Columns, k), rows = (k + Columns - 1) / Columns;
        long width = columns * size + (columns + 1) * Gap, height = rows * size + (rows + 1) * Gap;
        var sheet = tensor(Background).reshape(3, 1, 1).expand(3, height, width).contiguous();
        for (long i = 0; i < k; i++)
        {
            long top = Gap + (i / Columns) * (size + Gap), left = Gap + (i % Columns) * (size + Gap);
            sheet[.., TensorIndex.Slice(top, top + size), TensorIndex.Slice(left, left + size)] = tiles[i];
        }
        return sheet.MoveToOuterDisposeScope();
    }

    /// <summary>The sheet encoded as PNG.</summary>
    public static byte[] Png(Tensor images, Tensor masks)
    {
        using var sheet = Compose(images, masks);
        int height = (int)sheet.shape[1], width = (int)sheet.shape[2];
        using var rgba = cat([sheet, full(new long[] { 1, height, width }, (byte)255, dtype: ScalarType.Byte)], 0).permute(1, 2, 0).contiguous();
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var image = SKImage.FromPixelCopy(info, rgba.bytes.ToArray(), width * 4);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
