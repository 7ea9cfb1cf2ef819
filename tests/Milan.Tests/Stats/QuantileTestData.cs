using Milan.Stats;
using static TorchSharp.torch;

namespace Milan.Tests.Stats;

/// <summary>Test streams and the brute-force quantile (sort everything, interpolate in doubles).</summary>
internal static class QuantileTestData
{
    public static float[][] Normal(int units, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, units).Select(u => Enumerable.Range(0, count).Select(_ =>
        {
            double a = 1 - random.NextDouble(), b = random.NextDouble();
            return (float)(u + (u + 1) * Math.Sqrt(-2 * Math.Log(a)) * Math.Cos(2 * Math.PI * b));
        }).ToArray()).ToArray();
    }

    public static float[][] Tied(int units, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, units).Select(_ => Enumerable.Range(0, count).Select(_ => (float)random.Next(5)).ToArray()).ToArray();
    }

    /// <summary>Values [start, start+count) of every unit as a (units, count) tensor.</summary>
    public static Tensor Slice(float[][] data, int start, int count)
    {
        var flat = data.SelectMany(row => row.Skip(start).Take(count)).ToArray();
        return tensor(flat, [data.Length, count]);
    }

    public static double SortEverything(float[] values, double q, QuantilePosition position)
    {
        var sorted = values.Select(v => (double)v).Order().ToArray();
        double p = QuantilePositions.Of(position, q, sorted.Length);
        int below = (int)Math.Floor(p), above = (int)Math.Ceiling(p);
        return sorted[below] + (sorted[above] - sorted[below]) * (p - below);
    }

    /// <summary>Feeds data[.., start..end) in batches of the given size.</summary>
    public static void Feed(IRunningQuantile quantile, float[][] data, int start, int end, int batch)
    {
        for (int i = start; i < end; i += batch)
        {
            using var values = Slice(data, i, Math.Min(batch, end - i));
            quantile.Add(values);
        }
    }
}
