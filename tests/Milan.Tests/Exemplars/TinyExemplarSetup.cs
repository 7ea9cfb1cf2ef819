using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.Tests.Exemplars;

/// <summary>A tiny convolutional net, a tiny npy image source, and the exemplars computed by brute force.</summary>
internal static class TinyExemplarSetup
{
    public const int ImageSize = 16;

    /// <summary>conv1: 6 units at 8×8, conv2: 4 units at 4×4 for 16 px input.</summary>
    public static nn.Module<Tensor, Tensor> Net(int seed = 1)
    {
        manual_seed(seed);
        return nn.Sequential(
            ("conv1", nn.Conv2d(3, 6, 3, stride: 2, padding: 1)),
            ("relu", nn.ReLU()),
            ("conv2", nn.Conv2d(6, 4, 3, stride: 2, padding: 1)));
    }

    /// <summary>Writes <paramref name="count"/> random images as an npy source in <paramref name="folder"/>.</summary>
    public static void WriteSource(string folder, int count, int seed = 2)
    {
        manual_seed(seed);
        using var images = randint(0, 256, [count, 3, ImageSize, ImageSize], dtype: ScalarType.Byte);
        NpyImageSource.Write(folder, images);
    }

    /// <summary>The expected exemplars of one layer: everything forwarded at once, sorted, thresholded.</summary>
    public sealed record Expected(long[][] Ids, float[][] Activations, float[] Levels, float[][][,] Maps);

    public static Expected BruteForce(nn.Module<Tensor, Tensor> net, string layer, IImageSource source, int k, double q)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var all = source.ReadBytes(Enumerable.Range(0, source.Count).ToArray());
        var input = ImageNormalization.ImageNet.Normalize(all, CPU);
        var conv1 = (nn.Module<Tensor, Tensor>)net.named_children().First(c => c.name == "conv1").module;
        var conv2 = (nn.Module<Tensor, Tensor>)net.named_children().First(c => c.name == "conv2").module;
        var first = conv1.call(input);
        var acts = layer == "conv1" ? first : conv2.call(nn.functional.relu(first));
        int n = (int)acts.shape[0], units = (int)acts.shape[1], h = (int)acts.shape[2], w = (int)acts.shape[3];
        var values = acts.contiguous().data<float>().ToArray();
        float At(int image, int unit, int y, int x) => values[((image * units + unit) * h + y) * w + x];

        var ids = new long[units][];
        var activations = new float[units][];
        var levels = new float[units];
        var maps = new float[units][][,];
        for (int u = 0; u < units; u++)
        {
            var pooled = Enumerable.Range(0, n).Select(i =>
                Enumerable.Range(0, h * w).Max(p => At(i, u, p / w, p % w))).ToArray();
            var order = Enumerable.Range(0, n).OrderByDescending(i => pooled[i]).ThenBy(i => i).Take(k).ToArray();
            ids[u] = order.Select(i => (long)i).ToArray();
            activations[u] = order.Select(i => pooled[i]).ToArray();
            var sorted = Enumerable.Range(0, n * h * w).Select(p => (double)At(p / (h * w), u, p % (h * w) / w, p % w)).Order().ToArray();
            double position = q * (sorted.Length - 1);
            int below = (int)Math.Floor(position), above = (int)Math.Ceiling(position);
            levels[u] = (float)(sorted[below] + (sorted[above] - sorted[below]) * (position - below));
            maps[u] = order.Select(i =>
            {
                var map = new float[h, w];
                for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) map[y, x] = At(i, u, y, x);
                return map;
            }).ToArray();
        }
        return new Expected(ids, activations, levels, maps);
    }

    /// <summary>Reads a units × k CSV.</summary>
    public static string[][] ReadCsv(string path) =>
        File.ReadAllLines(path).Select(line => line.Split(',')).ToArray();
}
