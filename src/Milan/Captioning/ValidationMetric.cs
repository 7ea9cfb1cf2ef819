using Milan.Language;

namespace Milan.Captioning;

/// <summary>
/// The text metric early stopping maximises: predictions (detokenized descriptions, one per held-out
/// neuron) against that neuron's annotations. The reference uses corpus BLEU (sacrebleu 1.5.1); the
/// caller supplies it (Milan.Language has it), so this stage depends on no particular metric.
/// </summary>
/// <param name="Name">Shown in progress and stored in the checkpoint card, e.g. "BLEU".</param>
/// <param name="Score">Higher is better.</param>
public sealed record ValidationMetric(
    string Name,
    Func<IReadOnlyList<string>, IReadOnlyList<IReadOnlyList<string>>, double> Score)
{
    /// <summary>
    /// The reference's early-stopping metric: corpus BLEU as sacrebleu 1.5.1 (<see cref="Language.Bleu"/>)
    /// of the lowercased, ". "-stripped predictions against all of each neuron's annotations (normalised
    /// the same way), 0-100.
    /// </summary>
    public static ValidationMetric Bleu { get; } = new("BLEU", (predictions, references) =>
        Language.Bleu.ForSegments(
            predictions.Select(MetricText.Normalize).ToList(),
            references.Select(r => (IReadOnlyList<string?>)r.Select(MetricText.Normalize).ToList()).ToList()).Score);

    /// <summary>
    /// Percentage of predictions equal to one of their references, after lowercasing and stripping
    /// ". " at both ends (the reference's normalisation before metrics). For tests and sanity checks.
    /// </summary>
    public static ValidationMetric ExactMatch { get; } = new("exact match", (predictions, references) =>
    {
        if (predictions.Count == 0) return 0;
        int hits = predictions.Where((p, i) => references[i].Any(r => MetricText.Normalize(r) == MetricText.Normalize(p))).Count();
        return 100.0 * hits / predictions.Count;
    });
}
