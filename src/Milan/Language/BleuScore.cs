namespace Milan.Language;

/// <summary>
/// A corpus BLEU score with its sufficient statistics, as sacrebleu's BLEUScore reports them.
/// </summary>
/// <param name="Score">BLEU on a 0-100 scale.</param>
/// <param name="Precisions">The four (smoothed) n-gram precisions, n = 1..4, each on a 0-100 scale.</param>
/// <param name="Counts">Clipped matching n-gram counts, n = 1..4.</param>
/// <param name="Totals">Hypothesis n-gram counts, n = 1..4.</param>
/// <param name="BrevityPenalty">exp(1 - r/c) when c &lt; r, else 1 (0 when c = 0).</param>
/// <param name="SystemLength">c: total hypothesis length in tokens.</param>
/// <param name="ReferenceLength">r: sum over segments of the closest reference length.</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<double> Precisions,
    IReadOnlyList<long> Counts,
    IReadOnlyList<long> Totals,
    double BrevityPenalty,
    long SystemLength,
    long ReferenceLength)
{
    /// <summary>sacrebleu's one-line summary, e.g. "BLEU = 12.34 45.0/20.0/10.0/5.0 (BP = 1.000 ratio = 1.100 hyp_len = 11 ref_len = 10)".</summary>
    public override string ToString() =>
        FormattableString.Invariant(
            $"BLEU = {Score:F2} {string.Join("/", Precisions.Select(p => p.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} (BP = {BrevityPenalty:F3} ratio = {(ReferenceLength == 0 ? double.NaN : (double)SystemLength / ReferenceLength):F3} hyp_len = {SystemLength} ref_len = {ReferenceLength})");
}
