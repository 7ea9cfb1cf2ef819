using MathNet.Numerics.Distributions;

namespace Milan.Stats;

/// <summary>
/// An interval for a score that varies with two crossed sources: the units it is measured on and the
/// training seed of the model that produced the descriptions (every seed describes every unit).
/// </summary>
/// <param name="Interval">Value and interval bounds; <see cref="ConfidenceInterval.Count"/> is the number of units.</param>
/// <param name="UnitStandardError">√V_u: the bootstrap standard error over units of the seed-pooled statistic.</param>
/// <param name="SeedStandardError">√V_s: the standard deviation of the per-seed values over √S (0 with one seed).</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom of V_u + V_s (∞ when both are 0).</param>
/// <param name="Seeds">S, the number of seeds.</param>
public readonly record struct SeedUnitEstimate(ConfidenceInterval Interval, double UnitStandardError, double SeedStandardError,
    double DegreesOfFreedom, int Seeds);

/// <summary>
/// Unit bootstrap combined with a t-interval over seeds (docs/evaluation.md, "Intervals"):
/// <list type="number">
/// <item>value θ = the statistic over all n units of the seed-pooled scores (each unit's score averaged over
/// the S seeds; for BLEU the n-gram counts of all seeds summed);</item>
/// <item>V_u = the variance (ddof 1) of the statistic over <c>resamples</c> bootstrap resamples of the units
/// (the same seeded resamples as <see cref="Bootstrap.Statistic"/>); it holds the unit-to-unit variation;</item>
/// <item>V_s = s²/S, s² the sample variance (ddof 1) of the S per-seed values θ_s (each over all units): the
/// variance of a mean of S seeds, which is what changes between two runs on the same units;</item>
/// <item>θ ± t_{ν, (1+c)/2} · √(V_u + V_s), with ν from Welch–Satterthwaite:
/// ν = (V_u + V_s)² / (V_u²/(n − 1) + V_s²/(S − 1)).</item>
/// </list>
/// Why not resample the seeds too: with 3 seeds a seed resample has only 10 distinct multisets, the percentile
/// interval cannot reach beyond the extreme seed means, and the bootstrap variance of a mean of S values is
/// (S − 1)/S of the unbiased one; the t quantile with few degrees of freedom accounts for s being estimated from
/// three values (t_{2, 0.975} = 4.30). V_u also contains the unit × seed residual divided by S and V_s the
/// same residual divided by n, so that small term is counted twice: the interval errs on the wide side.
/// <para>Given the statistic's range, the bounds are clipped to it (a t-interval is symmetric and can reach
/// past a bound, e.g. below 0 for a score that cannot be negative); the standard errors are not, so a
/// clipped interval still shows how far the seeds disagree.</para>
/// </summary>
public static class SeedUnitInterval
{
    /// <param name="units">n, the number of units.</param>
    /// <param name="pooled">The seed-pooled statistic of the units whose indices (0..n−1, with repeats) it is given.</param>
    /// <param name="seedValues">The statistic over all units for each seed (one value per seed).</param>
    /// <param name="range">The least and greatest value the statistic can take; null: unbounded.</param>
    public static SeedUnitEstimate Compute(int units, Func<IReadOnlyList<int>, double> pooled, IReadOnlyList<double> seedValues,
        int resamples = Bootstrap.DefaultResamples, double confidence = Bootstrap.DefaultConfidence, long seed = 0,
        (double Lower, double Upper)? range = null)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        ArgumentNullException.ThrowIfNull(seedValues);
        if (units <= 0) throw new MilanInputException("seed and unit interval: no units; expected at least one");
        if (seedValues.Count == 0) throw new MilanInputException("seed and unit interval: no per-seed values; expected one per seed");
        if (resamples < 2) throw new MilanInputException($"seed and unit interval: {resamples} resamples; expected at least two");
        if (confidence is <= 0 or >= 1) throw new MilanInputException($"seed and unit interval: confidence {confidence}; expected a value in (0, 1)");

        double value = pooled(Enumerable.Range(0, units).ToArray());
        var replicates = Bootstrap.Resamples(units, resamples, seed).Select(pooled).ToArray();
        double unitVariance = units > 1 ? Variance(replicates) : 0;
        int seeds = seedValues.Count;
        double seedVariance = seeds > 1 ? Variance(seedValues) / seeds : 0;
        double total = unitVariance + seedVariance;
        double df = DegreesOfFreedom(unitVariance, units - 1, seedVariance, seeds - 1);
        double half = total > 0 ? Quantile(df, (1 + confidence) / 2) * Math.Sqrt(total) : 0;
        var (least, greatest) = range ?? (double.NegativeInfinity, double.PositiveInfinity);
        return new SeedUnitEstimate(new ConfidenceInterval(value, Math.Max(least, value - half), Math.Min(greatest, value + half), units),
            Math.Sqrt(unitVariance), Math.Sqrt(seedVariance), df, seeds);
    }

    /// <summary>Welch–Satterthwaite: (Σ V_i)² / Σ (V_i² / ν_i) over the components with V_i &gt; 0; ∞ when none is.</summary>
    public static double DegreesOfFreedom(double unitVariance, int unitDf, double seedVariance, int seedDf)
    {
        double denominator = 0;
        if (unitVariance > 0) denominator += unitVariance * unitVariance / unitDf;
        if (seedVariance > 0) denominator += seedVariance * seedVariance / seedDf;
        return denominator > 0 ? (unitVariance + seedVariance) * (unitVariance + seedVariance) / denominator : double.PositiveInfinity;
    }

    /// <summary>The p-quantile of Student's t with <paramref name="df"/> degrees of freedom (the normal's for ν = ∞).</summary>
    public static double Quantile(double df, double p) =>
        double.IsPositiveInfinity(df) ? Normal.InvCDF(0, 1, p) : StudentT.InvCDF(0, 1, df, p);

    private static double Variance(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double sum = 0;
        foreach (double v in values) sum += (v - mean) * (v - mean);
        return sum / (values.Count - 1);
    }
}
