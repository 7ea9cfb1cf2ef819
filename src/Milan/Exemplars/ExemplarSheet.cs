using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.Exemplars;

/// <summary>
/// A contact sheet of one unit's exemplars for people to look at: the k images in rank order in rows of
/// five, pixels outside the mask dimmed to 25 % (as the reference's visualisation) and the mask's
/// outline drawn in yellow. Drawn pixel by pixel on the CPU (tensor ops on such small images cost more
/// in overhead than in work) and encoded with fast PNG settings.
/// </summary>
public static class ExemplarSheet
{
    public const int Columns = 5;
    private const int Gap = 2;
    private static readonly byte[] Outline = [255, 214, 0];
    private const byte Background = 32;

    /// <summary>
    /// The sheet as RGBA pixels (height × width × 4) from images (k, 3, S, S) and masks (k, 1, S, S)
    /// uint8. Outline pixels are mask pixels with a pixel outside the mask within max(1, S/112) pixels
    /// (pixels beyond the image edge do not count as outside).
    /// </summary>
    public static (byte[] Rgba, int Width, int Height) Compose(Tensor images, Tensor masks)
    {
        int k = (int)images.shape[0], size = (int)images.shape[2];
        if (images.dtype != ScalarType.Byte || masks.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] != 3
            || !masks.shape.SequenceEqual(new long[] { k, 1, size, size }))
            throw new ArgumentException("expected images (k, 3, S, S) and masks (k, 1, S, S), both uint8");
        return Compose(Bytes(images), Bytes(masks), k, size);
    }

    /// <summary><see cref="Compose(Tensor, Tensor)"/> on the raw bytes of the two arrays (C order); thread-safe.</summary>
    public static (byte[] Rgba, int Width, int Height) Compose(ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> mask, int k, int size)
    {
        int plane = size * size;
        if (pixels.Length != k * 3 * plane || mask.Length != k * plane)
            throw new ArgumentException($"expected {k * 3 * plane} image bytes and {k * plane} mask bytes");
        int reach = Math.Max(1, size / 112);
        int columns = Math.Min(Columns, k), rows = (k + Columns - 1) / Columns;
        int width = columns * size + (columns + 1) * Gap, height = rows * size + (rows + 1) * Gap;
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < rgba.Length; i += 4)
        {
            rgba[i] = rgba[i + 1] = rgba[i + 2] = Background;
            rgba[i + 3] = 255;
        }
        var nearOutside = new bool[plane];
        for (int tile = 0; tile < k; tile++)
        {
            var tileMask = mask.Slice(tile * plane, plane);
            NearOutside(tileMask, size, reach, nearOutside);
            int top = Gap + tile / Columns * (size + Gap), left = Gap + tile % Columns * (size + Gap);
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    int p = y * size + x, target = ((top + y) * width + left + x) * 4;
                    bool inside = tileMask[p] != 0, outline = inside && nearOutside[p];
                    for (int c = 0; c < 3; c++)
                    {
                        byte value = pixels[(tile * 3 + c) * plane + p];
                        rgba[target + c] = outline ? Outline[c] : inside ? value : (byte)(value >> 2);
                    }
                }
            }
        }
        return (rgba, width, height);
    }

    /// <summary>The sheet encoded as PNG.</summary>
    public static byte[] Png(Tensor images, Tensor masks)
    {
        var (rgba, width, height) = Compose(images, masks);
        return PngImage.Encode(rgba, width, height);
    }

    /// <summary>The sheet of raw image and mask bytes (see <see cref="Compose(ReadOnlySpan{byte}, ReadOnlySpan{byte}, int, int)"/>) as PNG; thread-safe.</summary>
    public static byte[] Png(ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> mask, int k, int size)
    {
        var (rgba, width, height) = Compose(pixels, mask, k, size);
        return PngImage.Encode(rgba, width, height);
    }

    private static byte[] Bytes(Tensor tensor)
    {
        using var cpu = tensor.cpu().contiguous();
        return cpu.bytes.ToArray();
    }

    /// <summary>Whether some pixel outside the mask lies within <paramref name="reach"/> (Chebyshev distance) of each pixel.</summary>
    private static void NearOutside(ReadOnlySpan<byte> mask, int size, int reach, bool[] result)
    {
        var row = new bool[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool any = false;
                for (int dx = Math.Max(0, x - reach); dx <= Math.Min(size - 1, x + reach) && !any; dx++) any = mask[y * size + dx] == 0;
                row[y * size + x] = any;
            }
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool any = false;
                for (int dy = Math.Max(0, y - reach); dy <= Math.Min(size - 1, y + reach) && !any; dy++) any = row[dy * size + x];
                result[y * size + x] = any;
            }
    }
}
