using Milan.Stats;
using static Milan.Tests.Stats.QuantileTestData;

namespace Milan.Tests.Stats;

public class QuantileSketchTests
{
    /// <summary>The estimate lies between the exact sorted values at the Hazen position ± the bound.</summary>
    private static void AssertWithinBound(float[] values, double q, float estimate, double bound)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        double p = QuantilePositions.Of(QuantilePosition.Hazen, q, n);
        float low = sorted[Math.Clamp((int)Math.Floor(p - bound), 0, n - 1)];
        float high = sorted[Math.Clamp((int)Math.Ceiling(p + bound), 0, n - 1)];
        Assert.InRange(estimate, low, high);
    }

    [Fact]
    public void Below_capacity_it_is_the_exact_hazen_quantile()
    {
        var data = Normal(3, 500, seed: 1);
        using var sketch = new QuantileSketch(0.99, capacity: 1024);
        Feed(sketch, data, 0, 500, 100);
        using var result = sketch.Result();
        for (int u = 0; u < 3; u++)
            Assert.Equal(SortEverything(data[u], 0.99, QuantilePosition.Hazen), result.data<float>()[u], 1e-5);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.9)]
    [InlineData(0.5)]
    [InlineData(0.01)]
    public void A_long_stream_stays_within_the_documented_bound(double q)
    {
        const int count = 200_000;
        var data = Normal(4, count, seed: 2);
        using var sketch = new QuantileSketch(q, capacity: 256, seed: 7);
        Feed(sketch, data, 0, count, 3000);
        double bound = sketch.RankErrorBound;
        Assert.True(sketch.Retained < 4 * 256, $"retained {sketch.Retained}");
        Assert.True(bound < 0.05 * count, $"bound {bound} is too loose to test anything");
        Assert.True(bound > 1, "the stream must have been compacted");
        Assert.True(sketch.SampledCount > 0, "the stream must have been long enough to be sampled");
        using var result = sketch.Result();
        for (int u = 0; u < 4; u++)
            AssertWithinBound(data[u], q, result.data<float>()[u], bound);
    }

    [Fact]
    public void Merged_shards_stay_within_the_merged_bound()
    {
        const int count = 120_000;
        var data = Normal(3, count, seed: 3);
        using var a = new QuantileSketch(0.99, capacity: 256, seed: 1);
        using var b = new QuantileSketch(0.99, capacity: 256, seed: 2);
        Feed(a, data, 0, 50_000, 1000);
        Feed(b, data, 50_000, count, 777);
        double before = a.RankErrorBound;
        a.Merge(b);
        Assert.Equal(count, a.Count);
        Assert.True(a.RankErrorBound >= before);
        using var result = a.Result();
        for (int u = 0; u < 3; u++)
            AssertWithinBound(data[u], 0.99, result.data<float>()[u], a.RankErrorBound);
    }

    [Fact]
    public void The_same_seed_gives_the_same_estimate()
    {
        var data = Normal(2, 50_000, seed: 4);
        float[] Run()
        {
            using var sketch = new QuantileSketch(0.99, capacity: 128, seed: 11);
            Feed(sketch, data, 0, 50_000, 999);
            using var result = sketch.Result();
            return result.data<float>().ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
