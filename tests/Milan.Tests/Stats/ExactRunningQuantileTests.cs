using System.Globalization;
using Milan.Datasets;
using Milan.Stats;
using Milan.Tests.Support;
using static Milan.Tests.Stats.QuantileTestData;
using static TorchSharp.torch;

namespace Milan.Tests.Stats;

public class ExactRunningQuantileTests
{
    [Theory]
    [InlineData(0.99, 37, QuantilePosition.Linear)]
    [InlineData(0.99, 1000, QuantilePosition.Linear)]
    [InlineData(0.5, 64, QuantilePosition.Linear)]     // tail far larger than a batch: many compactions
    [InlineData(0.9, 333, QuantilePosition.Hazen)]
    [InlineData(1.0, 100, QuantilePosition.Linear)]
    [InlineData(0.0, 500, QuantilePosition.Linear)]
    [InlineData(0.999, 7, QuantilePosition.Hazen)]
    public void Streaming_equals_sorting_everything(double q, int batch, QuantilePosition position)
    {
        foreach (var data in new[] { Normal(4, 5000, seed: 1), Tied(4, 5000, seed: 2) })
        {
            using var quantile = new ExactRunningQuantile(q, 5000, position);
            Feed(quantile, data, 0, 5000, batch);
            using var result = quantile.Result();
            var values = result.data<float>().ToArray();
            for (int u = 0; u < 4; u++)
                Assert.Equal((float)SortEverything(data[u], q, position), values[u]);
        }
    }

    [Fact]
    public void A_transposed_layer_output_is_read_in_place_with_the_same_result()
    {
        // Batches as a layer gives them, (images, units, positions), fed as the strided view (units, images,
        // positions): unit u's values are those of every image and position, as in a sort of everything.
        var data = Normal(3, 40 * 25, seed: 5);
        using var quantile = new ExactRunningQuantile(0.99, 40 * 25);
        for (int image = 0; image < 40; image += 7)
        {
            int images = Math.Min(7, 40 - image);
            using var scope = NewDisposeScope();
            var byImage = Slice(data, image * 25, images * 25).reshape(3, images, 25).transpose(0, 1).contiguous();
            quantile.Add(byImage.transpose(0, 1));
        }
        using var result = quantile.Result();
        for (int u = 0; u < 3; u++)
            Assert.Equal((float)SortEverything(data[u], 0.99, QuantilePosition.Linear), result.data<float>()[u]);
    }

    [Fact]
    public void Shards_merged_equal_the_whole()
    {
        var data = Normal(3, 6000, seed: 3);
        using var whole = new ExactRunningQuantile(0.99, 6000);
        Feed(whole, data, 0, 6000, 500);
        using var a = new ExactRunningQuantile(0.99, 6000);
        using var b = new ExactRunningQuantile(0.99, 6000);
        using var c = new ExactRunningQuantile(0.99, 6000);
        Feed(a, data, 0, 1000, 128);
        Feed(b, data, 1000, 4500, 999);
        Feed(c, data, 4500, 6000, 50);
        c.Merge(a);
        c.Merge(b);
        using var expected = whole.Result();
        using var merged = c.Result();
        Assert.Equal(expected.data<float>().ToArray(), merged.data<float>().ToArray());
    }

    [Fact]
    public void A_stream_shorter_than_declared_is_still_exact()
    {
        var data = Normal(2, 3000, seed: 4);
        using var quantile = new ExactRunningQuantile(0.99, 10_000);
        Feed(quantile, data, 0, 3000, 256);
        using var result = quantile.Result();
        Assert.Equal((float)SortEverything(data[1], 0.99, QuantilePosition.Linear), result.data<float>()[1]);
    }

    [Fact]
    public void Adding_more_than_declared_is_refused()
    {
        using var quantile = new ExactRunningQuantile(0.99, 10);
        using var values = zeros(2, 11);
        Assert.Throws<InvalidOperationException>(() => quantile.Add(values));
    }

    [Fact]
    public void Tail_length_is_what_linear_interpolation_needs()
    {
        // N = 100, q = 0.99: position 98.01 needs sorted values 98 and 99, i.e. the top 2.
        Assert.Equal(2, ExactRunningQuantile.TailLengthFor(0.99, 100, QuantilePosition.Linear));
        // N = 10, q = 0.5: position 4.5 needs values 4..9.
        Assert.Equal(6, ExactRunningQuantile.TailLengthFor(0.5, 10, QuantilePosition.Linear));
        // Hazen: position 0.99·100 − 0.5 = 98.5.
        Assert.Equal(2, ExactRunningQuantile.TailLengthFor(0.99, 100, QuantilePosition.Hazen));
    }

    [Fact]
    public void Agrees_with_numpy_quantile_linear_and_hazen()
    {
        using var folder = new TempFolder();
        var data = Normal(5, 4001, seed: 5);
        string path = folder.File("values.npy");
        using (var all = Slice(data, 0, 4001)) Npy.Write(path, all);
        string output = DebianPython.Run(
            "import sys, numpy as np\n"
            + "a = np.load(sys.argv[1]).astype(np.float64)\n"
            + "for m in ('linear', 'hazen'):\n"
            + "    print(' '.join(repr(float(v)) for v in np.quantile(a, 0.99, axis=1, method=m)))\n",
            path);
        var lines = output.Trim().Split('\n');
        foreach (var (position, line) in new[] { QuantilePosition.Linear, QuantilePosition.Hazen }.Zip(lines))
        {
            var expected = line.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            using var quantile = new ExactRunningQuantile(0.99, 4001, position);
            Feed(quantile, data, 0, 4001, 300);
            using var result = quantile.Result();
            var actual = result.data<float>().ToArray();
            for (int u = 0; u < 5; u++)
                Assert.Equal(expected[u], actual[u], 1e-5);
        }
    }
}
