using System.Globalization;
using Milan.Stats;
using Milan.Tests.Support;

namespace Milan.Tests.Stats;

public class BootstrapTests
{
    private static readonly double[] Values = [0.31, 0.12, 0.58, 0.44, 0.05, 0.93, 0.27, 0.66, 0.40, 0.18, 0.72, 0.35];

    [Fact]
    public void MeanIntervalMatchesNumpyOnTheSameResamples()
    {
        const int resamples = 200;
        var interval = Bootstrap.Mean(Values, resamples, confidence: 0.9, seed: 7);
        var indices = Bootstrap.Resamples(Values.Length, resamples, seed: 7);
        string valuesText = string.Join(",", Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        string indexText = string.Join(";", indices.Select(row => string.Join(",", row)));
        const string script = """
import sys, numpy as np
values = np.array([float(v) for v in sys.argv[1].split(',')])
rows = np.array([[int(i) for i in r.split(',')] for r in sys.stdin.read().strip().split(';')])
means = values[rows].mean(axis=1)
print(repr(values.mean()), repr(np.percentile(means, 5.0)), repr(np.percentile(means, 95.0)))
""";
        var parts = DebianPython.RunWithInput(script, indexText, valuesText).Trim().Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(parts[0], interval.Value, 12);
        Assert.Equal(parts[1], interval.Lower, 12);
        Assert.Equal(parts[2], interval.Upper, 12);
        Assert.Equal(Values.Length, interval.Count);
    }

    [Fact]
    public void SameSeedSameIntervalAndOtherSeedDiffers()
    {
        var a = Bootstrap.Mean(Values, seed: 3);
        var b = Bootstrap.Mean(Values, seed: 3);
        var c = Bootstrap.Mean(Values, seed: 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Lower, c.Lower);
        Assert.True(a.Lower < a.Value && a.Value < a.Upper);
    }

    [Fact]
    public void ConstantSampleHasAPointInterval()
    {
        var interval = Bootstrap.Mean([0.5, 0.5, 0.5], seed: 1);
        Assert.Equal(0.5, interval.Value, 12);
        Assert.Equal(0.5, interval.Lower, 12);
        Assert.Equal(0.5, interval.Upper, 12);
    }

    [Fact]
    public void PercentileInterpolatesLikeNumpy()
    {
        // np.percentile([1, 2, 4, 8], 25) = 1.75; 90 -> 6.8
        Assert.Equal(1.75, Bootstrap.Percentile([1, 2, 4, 8], 0.25), 12);
        Assert.Equal(6.8, Bootstrap.Percentile([1, 2, 4, 8], 0.9), 12);
    }

    [Fact]
    public void ResampledIndicesCoverTheRange()
    {
        var rows = Bootstrap.Resamples(5, 400, seed: 0);
        var all = rows.SelectMany(r => r).ToArray();
        Assert.All(all, i => Assert.InRange(i, 0, 4));
        Assert.Equal(5, all.Distinct().Count());
    }

    [Fact]
    public void EmptySampleIsRefused() =>
        Assert.Throws<MilanInputException>(() => Bootstrap.Mean([]));
}
