using System.Globalization;
using Milan.Stats;
using Milan.Tests.Support;

namespace Milan.Tests.Stats;

public class SeedUnitIntervalTests
{
    // Rows = seeds, columns = units: the example of seed_unit_interval_check.py.
    private static readonly double[][] Scores =
    [
        [0.70, 0.55, 0.90, 0.62, 0.48, 0.81],
        [0.64, 0.50, 0.85, 0.60, 0.41, 0.77],
        [0.75, 0.58, 0.93, 0.70, 0.52, 0.86],
    ];

    private static SeedUnitEstimate Compute(double[][] scores, int resamples, double confidence = 0.95)
    {
        int units = scores[0].Length;
        var pooled = Enumerable.Range(0, units).Select(u => scores.Average(s => s[u])).ToArray();
        return SeedUnitInterval.Compute(units, picked => picked.Average(i => pooled[i]), scores.Select(s => s.Average()).ToArray(),
            resamples, confidence, seed: 0);
    }

    [Fact]
    public void MatchesAnIndependentNumpyComputation()
    {
        // The script re-implements the seeded resampling, both variances, Welch-Satterthwaite and the t quantile
        // (integrating the t density) with numpy only.
        var expected = DebianPython.RunFile("tests/Milan.Tests/Stats/seed_unit_interval_check.py")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(p => string.Join(" ", p[..^1]), p => double.Parse(p[^1], CultureInfo.InvariantCulture));
        var estimate = Compute(Scores, resamples: 200);
        Assert.Equal(expected["value"], estimate.Interval.Value, 12);
        Assert.Equal(expected["unit_se"], estimate.UnitStandardError, 12);
        Assert.Equal(expected["seed_se"], estimate.SeedStandardError, 12);
        Assert.Equal(expected["df"], estimate.DegreesOfFreedom, 9);
        Assert.Equal(expected["t"], SeedUnitInterval.Quantile(estimate.DegreesOfFreedom, 0.975), 7);
        Assert.Equal(expected["lower"], estimate.Interval.Lower, 7);
        Assert.Equal(expected["upper"], estimate.Interval.Upper, 7);
        Assert.Equal(6, estimate.Interval.Count);
        Assert.Equal(3, estimate.Seeds);
    }

    [Fact]
    public void SeedPartByHand()
    {
        // Per-seed means 0.66, 0.595, 0.7233...: s² = Σ(x − x̄)²/2, V_s = s²/3.
        double[] seedMeans = Scores.Select(s => s.Average()).ToArray();
        double mean = seedMeans.Average();
        double s2 = seedMeans.Sum(x => (x - mean) * (x - mean)) / 2;
        var estimate = Compute(Scores, resamples: 200);
        Assert.Equal(Math.Sqrt(s2 / 3), estimate.SeedStandardError, 12);
        Assert.Equal(0.6761111111111111, estimate.Interval.Value, 12);
    }

    [Fact]
    public void StudentQuantilesFromTables()
    {
        Assert.Equal(4.302652729911275, SeedUnitInterval.Quantile(2, 0.975), 9);
        Assert.Equal(2.570581835636314, SeedUnitInterval.Quantile(5, 0.975), 9);
        Assert.Equal(1.959963984540054, SeedUnitInterval.Quantile(double.PositiveInfinity, 0.975), 9);
    }

    [Fact]
    public void WelchSatterthwaiteByHand()
    {
        // (0.01 + 0.02)² / (0.01²/9 + 0.02²/2) = 0.0009 / (0.0000111... + 0.0002) = 4.2631...
        Assert.Equal(0.0009 / (0.0001 / 9 + 0.0004 / 2), SeedUnitInterval.DegreesOfFreedom(0.01, 9, 0.02, 2), 12);
        Assert.Equal(9, SeedUnitInterval.DegreesOfFreedom(0.01, 9, 0, 0), 12);
        Assert.Equal(2, SeedUnitInterval.DegreesOfFreedom(0, 9, 0.02, 2), 12);
        Assert.True(double.IsPositiveInfinity(SeedUnitInterval.DegreesOfFreedom(0, 9, 0, 2)));
    }

    [Fact]
    public void OneSeedIsAUnitIntervalWithTheBootstrapVarianceNearTheAnalyticOne()
    {
        // One seed: V_s = 0, ν = n − 1; the bootstrap variance of a mean tends to (n − 1)/n · s²/n.
        double[] values = [0.31, 0.12, 0.58, 0.44, 0.05, 0.93, 0.27, 0.66, 0.40, 0.18, 0.72, 0.35];
        var estimate = Compute([values], resamples: 20000);
        int n = values.Length;
        double mean = values.Average();
        double analytic = values.Sum(v => (v - mean) * (v - mean)) / n / n;
        Assert.Equal(0, estimate.SeedStandardError);
        Assert.Equal(n - 1, estimate.DegreesOfFreedom, 9);
        Assert.InRange(estimate.UnitStandardError * estimate.UnitStandardError / analytic, 0.95, 1.05);
        double half = SeedUnitInterval.Quantile(n - 1, 0.975) * estimate.UnitStandardError;
        Assert.Equal(mean - half, estimate.Interval.Lower, 12);
        Assert.Equal(mean + half, estimate.Interval.Upper, 12);
    }

    [Fact]
    public void SeedsThatDisagreeWidenTheInterval()
    {
        // Same pooled unit scores, seeds spread ±0.1 around them vs identical seeds.
        double[] units = [0.5, 0.6, 0.7, 0.55, 0.65];
        var same = Compute([units, units, units], resamples: 500);
        var spread = Compute([units.Select(v => v - 0.1).ToArray(), units, units.Select(v => v + 0.1).ToArray()], resamples: 500);
        Assert.Equal(same.Interval.Value, spread.Interval.Value, 12);
        Assert.Equal(same.UnitStandardError, spread.UnitStandardError, 12);
        Assert.Equal(0.1 / Math.Sqrt(3), spread.SeedStandardError, 12);
        Assert.True(spread.Interval.Upper - spread.Interval.Lower > same.Interval.Upper - same.Interval.Lower + 0.1);
    }

    [Fact]
    public void NoVariationGivesAPointInterval()
    {
        var estimate = Compute([[0.4, 0.4, 0.4], [0.4, 0.4, 0.4]], resamples: 50);
        Assert.Equal(0.4, estimate.Interval.Lower, 12);
        Assert.Equal(0.4, estimate.Interval.Upper, 12);
    }

    [Fact]
    public void ACollapsingSeedIsClippedToTheRangeWithItsStandardErrorKept()
    {
        // One unit, seeds 0.041, 0.548, 0.541 (like the demo's AlexNet PMI): mean 0.37667, s² = 0.0846..., V_s = s²/3,
        // ν = 2, half-width t_{2,0.975}·√V_s = 4.3027 · 0.1679 = 0.7226: unclipped [−0.346, 1.099], clipped [0, 1].
        double[] seeds = [0.041, 0.548, 0.541];
        double mean = seeds.Average();
        double seedSe = Math.Sqrt(seeds.Sum(x => (x - mean) * (x - mean)) / 2 / 3);
        double half = 4.302652729911275 * seedSe;
        var open = SeedUnitInterval.Compute(1, picked => mean, seeds, resamples: 10);
        var clipped = SeedUnitInterval.Compute(1, picked => mean, seeds, resamples: 10, range: (0, 1));
        Assert.Equal(mean - half, open.Interval.Lower, 9);
        Assert.Equal(mean + half, open.Interval.Upper, 9);
        Assert.Equal(0, clipped.Interval.Lower);
        Assert.Equal(1, clipped.Interval.Upper);
        Assert.Equal(mean, clipped.Interval.Value, 12);
        Assert.Equal(seedSe, clipped.SeedStandardError, 12);
    }

    [Fact]
    public void AnIntervalInsideTheRangeIsUnchanged()
    {
        var open = Compute(Scores, resamples: 200);
        var units = Scores[0].Length;
        var pooled = Enumerable.Range(0, units).Select(u => Scores.Average(s => s[u])).ToArray();
        var clipped = SeedUnitInterval.Compute(units, picked => picked.Average(i => pooled[i]), Scores.Select(s => s.Average()).ToArray(),
            200, seed: 0, range: (0, 1));
        Assert.True(open.Interval.Lower > 0 && open.Interval.Upper < 1);
        Assert.Equal(open.Interval, clipped.Interval);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        Assert.Throws<MilanInputException>(() => SeedUnitInterval.Compute(0, _ => 0, [0.1]));
        Assert.Throws<MilanInputException>(() => SeedUnitInterval.Compute(3, _ => 0, []));
        Assert.Throws<MilanInputException>(() => SeedUnitInterval.Compute(3, _ => 0, [0.1], resamples: 1));
    }
}
