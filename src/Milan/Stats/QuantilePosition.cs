namespace Milan.Stats;

/// <summary>
/// Where in the sorted values v[0] ≤ … ≤ v[N−1] the q-quantile is read, with linear interpolation
/// between the two neighbouring values.
/// </summary>
public enum QuantilePosition
{
    /// <summary>
    /// Position q·(N−1): torch.quantile's and numpy.quantile's default ("linear"). Our default.
    /// </summary>
    Linear,

    /// <summary>
    /// Position q·N − 0.5, clamped to [0, N−1]: value i sits at cumulative fraction (i + 0.5)/N. This is
    /// how the reference reads its quantile sketch (netdissect RunningQuantile), applied to exact data;
    /// numpy calls it method="hazen". For q = 0.99 it lies q − 0.5 = 0.49 positions above
    /// <see cref="Linear"/>, i.e. half a gap between neighbouring sorted values.
    /// </summary>
    Hazen,
}

public static class QuantilePositions
{
    /// <summary>The (fractional) position of the q-quantile among <paramref name="count"/> sorted values.</summary>
    public static double Of(QuantilePosition position, double q, long count)
    {
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "q must lie in [0, 1]");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one value is needed");
        return position switch
        {
            QuantilePosition.Linear => q * (count - 1),
            QuantilePosition.Hazen => Math.Clamp(q * count - 0.5, 0, count - 1),
            _ => throw new ArgumentOutOfRangeException(nameof(position), position, null),
        };
    }

    public static string Name(QuantilePosition position) => position.ToString().ToLowerInvariant();

    public static QuantilePosition Parse(string text) =>
        Enum.TryParse<QuantilePosition>(text, ignoreCase: true, out var value)
            ? value
            : throw new MilanInputException($"quantile position '{text}': expected linear or hazen");
}
