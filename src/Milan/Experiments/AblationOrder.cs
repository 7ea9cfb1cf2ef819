using Milan.World;

namespace Milan.Experiments;

/// <summary>Orders in which units are ablated, and how many units each fraction ablates.</summary>
public static class AblationOrder
{
    /// <summary>
    /// Positions sorted by score, highest first (the reference's default). Equal scores keep their
    /// original order (the reference leaves ties to torch.sort), so the order is reproducible.
    /// </summary>
    public static int[] ByScoreDescending(IReadOnlyList<double> scores) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();

    /// <summary>A random permutation of 0..count-1 from <paramref name="seed"/> (Fisher–Yates on SplitMix64, stable across .NET versions).</summary>
    public static int[] Random(int count, long seed)
    {
        var random = new WorldRandom(WorldRandom.Derive(seed, "ablation order"));
        var order = Enumerable.Range(0, count).ToArray();
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// The fractions 0, step, 2·step, … up to <paramref name="maxFraction"/> (the reference:
    /// numpy.arange(0, 0.2, 0.02), i.e. 0 … 0.18) with the number of units each ablates,
    /// ⌊fraction·total⌋. The product is computed from the step index and nudged by 1e-9 before
    /// flooring, so 0.06·50 gives 3 although 0.06 is not exact in binary.
    /// </summary>
    public static IReadOnlyList<(double Fraction, int Count)> Fractions(int totalUnits, double step = 0.02, double maxFraction = 0.18)
    {
        if (step <= 0 || maxFraction < 0) throw new ArgumentException("expected a positive step and a non-negative maximum fraction");
        var result = new List<(double, int)>();
        for (int i = 0; i * step <= maxFraction + 1e-9; i++)
        {
            double fraction = Math.Round(i * step, 10);
            result.Add((fraction, (int)Math.Floor(fraction * totalUnits + 1e-9)));
        }
        return result;
    }
}
