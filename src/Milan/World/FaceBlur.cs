namespace Milan.World;

/// <summary>
/// Face obfuscation for the faces-blurred variant: each face's box (its drawn extent, hair included,
/// widened by one pixel for anti-aliased edges) is replaced by a Gaussian blur of the image, with a
/// standard deviation of a tenth of the box side. Pixels outside the boxes are left untouched.
/// </summary>
public static class FaceBlur
{
    /// <summary>Pixel boxes [Left, Right) x [Top, Bottom) of the scene's faces at <paramref name="size"/>.</summary>
    public static IReadOnlyList<(int Left, int Top, int Right, int Bottom)> Regions(Scene scene, int size) =>
        scene.Objects.Where(o => o.Category == "face").Select(o =>
        {
            var b = o.Bounds;
            return (Math.Clamp((int)Math.Floor(b.Left * size) - 1, 0, size),
                    Math.Clamp((int)Math.Floor(b.Top * size) - 1, 0, size),
                    Math.Clamp((int)Math.Ceiling(b.Right * size) + 1, 0, size),
                    Math.Clamp((int)Math.Ceiling(b.Bottom * size) + 1, 0, size));
        }).Where(r => r.Item3 > r.Item1 && r.Item4 > r.Item2).ToArray();

    /// <summary>The image (3, S, S) with every face region blurred; the input is not changed.</summary>
    public static byte[] Apply(byte[] image, int size, Scene scene)
    {
        var regions = Regions(scene, size);
        var result = (byte[])image.Clone();
        foreach (var (left, top, right, bottom) in regions)
        {
            double sigma = Math.Max(0.8, 0.1 * Math.Max(right - left, bottom - top));
            var blurred = Blur(image, size, sigma);
            for (int c = 0; c < 3; c++)
                for (int y = top; y < bottom; y++)
                    for (int x = left; x < right; x++)
                    {
                        int i = (c * size + y) * size + x;
                        result[i] = blurred[i];
                    }
        }
        return result;
    }

    /// <summary>Separable Gaussian blur of a (3, S, S) image with edges clamped.</summary>
    internal static byte[] Blur(byte[] image, int size, double sigma)
    {
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = Enumerable.Range(-radius, 2 * radius + 1).Select(d => Math.Exp(-d * d / (2 * sigma * sigma))).ToArray();
        double total = kernel.Sum();
        for (int k = 0; k < kernel.Length; k++) kernel[k] /= total;

        var horizontal = new double[image.Length];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    double sum = 0;
                    for (int d = -radius; d <= radius; d++)
                        sum += kernel[d + radius] * image[(c * size + y) * size + Math.Clamp(x + d, 0, size - 1)];
                    horizontal[(c * size + y) * size + x] = sum;
                }
        var result = new byte[image.Length];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    double sum = 0;
                    for (int d = -radius; d <= radius; d++)
                        sum += kernel[d + radius] * horizontal[(c * size + Math.Clamp(y + d, 0, size - 1)) * size + x];
                    result[(c * size + y) * size + x] = (byte)Math.Clamp(Math.Round(sum), 0, 255);
                }
        return result;
    }
}
