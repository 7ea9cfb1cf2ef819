namespace Milan.Datasets;

/// <summary>
/// Pillow's resampling of 8-bit images with its bilinear filter (Image.resize(size, BILINEAR), which
/// torchvision's Resize uses on PIL images), reproduced from its documented algorithm so that our
/// bytes equal torchvision's: separable passes (horizontal first, into an 8-bit intermediate, then
/// vertical), a triangle filter whose support widens with the downscaling factor (so downscaling is
/// antialiased), weights normalised per output pixel and rounded to 22-bit fixed point, and each
/// output rounded and clipped to 0..255. Only the pixels of a crop window are computed.
/// </summary>
internal static class PillowResample
{
    private const int PrecisionBits = 32 - 8 - 2;

    // Every sum starts at one half, so that the final shift rounds to nearest.
    private const int Half = 1 << (PrecisionBits - 1);

    /// <summary>
    /// Resizes the interleaved image <paramref name="source"/> (<paramref name="pixelStride"/> bytes
    /// per pixel, colour in the first three) to <paramref name="outWidth"/> x <paramref name="outHeight"/>
    /// and writes the window at (<paramref name="left"/>, <paramref name="top"/>) of
    /// <paramref name="crop"/> x <paramref name="crop"/> pixels as planar RGB (3, crop, crop) into
    /// <paramref name="destination"/>.
    /// </summary>
    public static void ResizeAndCrop(ReadOnlySpan<byte> source, int width, int height, int pixelStride,
        int outWidth, int outHeight, int left, int top, int crop, Span<byte> destination)
    {
        bool horizontal = outWidth != width;
        bool vertical = outHeight != height;
        var rows = vertical ? Coefficients(height, outHeight, top, crop) : Identity(top, crop);
        var columns = horizontal ? Coefficients(width, outWidth, left, crop) : Identity(left, crop);

        // Source rows the vertical pass reads.
        int firstRow = int.MaxValue, endRow = 0;
        for (int i = 0; i < crop; i++)
        {
            firstRow = Math.Min(firstRow, rows.Start[i]);
            endRow = Math.Max(endRow, rows.Start[i] + rows.Count[i]);
        }

        // Horizontal pass: source rows firstRow..endRow, crop columns, 3 bytes per pixel.
        int rowCount = endRow - firstRow;
        var intermediate = new byte[rowCount * crop * 3];
        for (int r = 0; r < rowCount; r++)
        {
            int rowOffset = (firstRow + r) * width * pixelStride;
            for (int c = 0; c < crop; c++)
            {
                int start = columns.Start[c], count = columns.Count[c], weightOffset = c * columns.KernelSize;
                int red = Half, green = Half, blue = Half;
                for (int k = 0; k < count; k++)
                {
                    int weight = columns.Weights[weightOffset + k];
                    int pixel = rowOffset + (start + k) * pixelStride;
                    red += source[pixel] * weight;
                    green += source[pixel + 1] * weight;
                    blue += source[pixel + 2] * weight;
                }
                int target = (r * crop + c) * 3;
                intermediate[target] = Clip(red);
                intermediate[target + 1] = Clip(green);
                intermediate[target + 2] = Clip(blue);
            }
        }

        // Vertical pass into planar output.
        int plane = crop * crop;
        for (int y = 0; y < crop; y++)
        {
            int start = rows.Start[y] - firstRow, count = rows.Count[y], weightOffset = y * rows.KernelSize;
            for (int c = 0; c < crop; c++)
            {
                int red = Half, green = Half, blue = Half;
                for (int k = 0; k < count; k++)
                {
                    int weight = rows.Weights[weightOffset + k];
                    int pixel = ((start + k) * crop + c) * 3;
                    red += intermediate[pixel] * weight;
                    green += intermediate[pixel + 1] * weight;
                    blue += intermediate[pixel + 2] * weight;
                }
                int target = y * crop + c;
                destination[target] = Clip(red);
                destination[plane + target] = Clip(green);
                destination[2 * plane + target] = Clip(blue);
            }
        }
    }

    private static byte Clip(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    private sealed record Taps(int[] Start, int[] Count, int[] Weights, int KernelSize);

    /// <summary>One tap of weight 1 per output: a pass that only selects the window.</summary>
    private static Taps Identity(int first, int count) =>
        new(Enumerable.Range(first, count).ToArray(), Enumerable.Repeat(1, count).ToArray(),
            Enumerable.Repeat(1 << PrecisionBits, count).ToArray(), 1);

    /// <summary>Pillow's bilinear taps for outputs first..first+count of an inSize -> outSize resize.</summary>
    private static Taps Coefficients(int inSize, int outSize, int first, int count)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale; // the bilinear (triangle) filter has support 1
        double reciprocal = 1.0 / filterScale; // multiplied, not divided, as Pillow does (the last bit matters in rounding)
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var starts = new int[count];
        var counts = new int[count];
        var weights = new int[count * kernelSize];
        var k = new double[kernelSize];
        for (int i = 0; i < count; i++)
        {
            double center = (first + i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0;
            for (int x = 0; x < max; x++)
            {
                k[x] = Triangle((x + min - center + 0.5) * reciprocal);
                total += k[x];
            }
            for (int x = 0; x < max; x++)
            {
                double w = total != 0 ? k[x] / total : k[x];
                weights[i * kernelSize + x] = (int)(w < 0 ? -0.5 + w * (1 << PrecisionBits) : 0.5 + w * (1 << PrecisionBits));
            }
            starts[i] = min;
            counts[i] = max;
        }
        return new Taps(starts, counts, weights, kernelSize);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
