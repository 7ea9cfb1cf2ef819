namespace Milan.Stats;

/// <summary>A statistic with its percentile bootstrap interval.</summary>
/// <param name="Value">The statistic on the whole sample.</param>
/// <param name="Lower">Lower end of the interval (the (1 − confidence)/2 percentile of the resampled statistics).</param>
/// <param name="Upper">Upper end of the interval (the (1 + confidence)/2 percentile).</param>
/// <param name="Count">Number of observations.</param>
public readonly record struct ConfidenceInterval(double Value, double Lower, double Upper, int Count)
{
    public override string ToString() => $"{Value:F3} [{Lower:F3}, {Upper:F3}] (n={Count})";
}

/// <summary>
/// Percentile bootstrap (Efron): resample the observations with replacement <c>resamples</c> times,
/// compute the statistic on each resample, and take the percentiles of those values as the interval.
/// Resampling is seeded (a SplitMix64 stream, not System.Random, whose seeded sequence .NET may
/// change), so the same seed gives the same interval; percentiles interpolate linearly between
/// order statistics, as numpy's default <c>percentile</c>.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;
    public const double DefaultConfidence = 0.95;

    /// <summary>The mean of <paramref name="values"/> with its percentile bootstrap interval.</summary>
    public static ConfidenceInterval Mean(IReadOnlyList<double> values, int resamples = DefaultResamples, double confidence = DefaultConfidence, long seed = 0) =>
        Statistic(values.Count, indices =>
        {
            double sum = 0;
            foreach (int i in indices) sum += values[i];
            return sum / indices.Count;
        }, resamples, confidence, seed);

    /// <summary>
    /// Any statistic of n observations given as a function of the indices it is computed on (the
    /// whole sample is 0..n-1); e.g. corpus BLEU over the resampled units.
    /// </summary>
    public static ConfidenceInterval Statistic(int count, Func<IReadOnlyList<int>, double> statistic, int resamples = DefaultResamples,
        double confidence = DefaultConfidence, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        if (count <= 0) throw new MilanInputException("bootstrap: no observations; expected at least one");
        if (resamples <= 0) throw new MilanInputException($"bootstrap: {resamples} resamples; expected at least one");
        if (confidence is <= 0 or >= 1) throw new MilanInputException($"bootstrap: confidence {confidence}; expected a value in (0, 1)");
        double value = statistic(Enumerable.Range(0, count).ToArray());
        var stats = new double[resamples];
        var indices = Resamples(count, resamples, seed);
        for (int r = 0; r < resamples; r++) stats[r] = statistic(indices[r]);
        Array.Sort(stats);
        double alpha = (1 - confidence) / 2;
        return new ConfidenceInterval(value, Percentile(stats, alpha), Percentile(stats, 1 - alpha), count);
    }

    /// <summary>The resampled index lists the bootstrap uses for this seed (each of length <paramref name="count"/>).</summary>
    public static int[][] Resamples(int count, int resamples, long seed)
    {
        ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x5851F42D4C957F2DUL);
        var result = new int[resamples][];
        for (int r = 0; r < resamples; r++)
        {
            var row = new int[count];
            for (int i = 0; i < count; i++) row[i] = (int)(Next(ref state) % (ulong)count);
            result[r] = row;
        }
        return result;
    }

    /// <summary>Percentile q in [0, 1] of sorted values, linear between order statistics (numpy's default).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new MilanInputException("percentile of no values");
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        double fraction = position - below;
        return sorted[below] + (sorted[above] - sorted[below]) * fraction;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
