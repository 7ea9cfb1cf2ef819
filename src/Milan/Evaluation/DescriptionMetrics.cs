using Milan.Language;

namespace Milan.Evaluation;

/// <summary>
/// The metrics on main applied to descriptions of units: BERTScore (the given scorer; by default the
/// offline WordNet similarity, which is not BERTScore-roberta), corpus BLEU (sacrebleu), ROUGE-L F
/// and CIDEr-D. Every text is normalised first (<see cref="MetricText.Normalize"/>, milan-spec §6.1).
/// </summary>
public sealed class DescriptionMetrics(BertScorer? bertScore = null)
{
    public BertScorer BertScore { get; } = bertScore ?? WordNetSimilarity.CreateScorer();

    /// <summary>The name of BERTScore's token model, e.g. "WordNet Wu-Palmer ... (offline; not BERTScore-roberta)".</summary>
    public string BertScoreModelName => _modelName ??= BertScore.Score(["unit"], [["unit"]]).ModelName;

    private string? _modelName;

    /// <summary>
    /// The least and greatest value of a metric as <see cref="UnitScores.Over"/> gives it: BLEU [0, 100],
    /// ROUGE-L F [0, 1], CIDEr-D [0, 10] (each order's term is a clipped cosine of non-negative tf-idf
    /// vectors times a length penalty, so at most 1; their mean is multiplied by 10), BERTScore F as
    /// <see cref="BertScorer.FRange"/>. Intervals are clipped to it.
    /// </summary>
    public (double Lower, double Upper) Range(string metric) => metric switch
    {
        MetricNames.Bleu => (0, 100),
        MetricNames.RougeL => (0, 1),
        MetricNames.CiderD => (0, 10),
        MetricNames.BertScoreF => BertScore.FRange,
        _ => throw new MilanInputException($"unknown metric '{metric}'; expected one of {string.Join(", ", MetricNames.All)}"),
    };

    /// <summary>
    /// Scores groups of candidates: unit u has candidates <paramref name="candidates"/>[u], each
    /// scored against <paramref name="references"/>[u][c]; a unit's value is the mean over its
    /// candidates (and its BLEU statistics their sum). BERTScore's idf comes from
    /// <paramref name="idfSentences"/> (the reference: all references of the test set).
    /// </summary>
    public UnitScores Score(IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> references,
        IReadOnlyList<string> idfSentences, IProgress<WorkProgress>? progress = null)
    {
        if (candidates.Count != references.Count) throw new ArgumentException("one reference list per unit expected");
        var flatCandidates = new List<string>();
        var flatReferences = new List<IReadOnlyList<string>>();
        var owner = new List<int>();
        for (int u = 0; u < candidates.Count; u++)
            for (int c = 0; c < candidates[u].Count; c++)
            {
                flatCandidates.Add(MetricText.Normalize(candidates[u][c]));
                flatReferences.Add(references[u][c].Select(MetricText.Normalize).ToList());
                owner.Add(u);
            }
        if (flatCandidates.Count == 0) throw new MilanInputException("no descriptions to score");
        progress?.Report(new WorkProgress("score descriptions", 0, 3, BertScore.GetType().Name));
        var bert = BertScore.Score(flatCandidates, flatReferences, idfSentences.Select(MetricText.Normalize).ToList());
        progress?.Report(new WorkProgress("score descriptions", 1, 3, "CIDEr-D"));
        var cider = CiderD.Score(flatCandidates, flatReferences);
        progress?.Report(new WorkProgress("score descriptions", 2, 3, "ROUGE, BLEU"));

        int units = candidates.Count;
        var sums = new Dictionary<string, double[]>
        {
            [MetricNames.BertScoreF] = new double[units],
            [MetricNames.RougeL] = new double[units],
            [MetricNames.CiderD] = new double[units],
        };
        var counts = new int[units];
        var correct = Enumerable.Range(0, units).Select(_ => new long[Bleu.MaxOrder]).ToArray();
        var total = Enumerable.Range(0, units).Select(_ => new long[Bleu.MaxOrder]).ToArray();
        var system = new long[units];
        var reference = new long[units];
        for (int i = 0; i < flatCandidates.Count; i++)
        {
            int u = owner[i];
            counts[u]++;
            sums[MetricNames.BertScoreF][u] += bert.PerCandidate[i].F;
            sums[MetricNames.CiderD][u] += cider.PerCandidate[i];
            sums[MetricNames.RougeL][u] += RougeLAgainst(flatCandidates[i], flatReferences[i]);
            var bleu = Bleu.ForSegments([flatCandidates[i]], [flatReferences[i]]);
            for (int n = 0; n < Bleu.MaxOrder; n++)
            {
                correct[u][n] += bleu.Counts[n];
                total[u][n] += bleu.Totals[n];
            }
            system[u] += bleu.SystemLength;
            reference[u] += bleu.ReferenceLength;
        }
        foreach (var values in sums.Values)
            for (int u = 0; u < units; u++) values[u] /= Math.Max(1, counts[u]);
        progress?.Report(new WorkProgress("score descriptions", 3, 3, null));
        return new UnitScores(sums, correct, total, system, reference);
    }

    // The reference's ROUGE: the mean over the (candidate, reference) pairs that are not empty.
    private static double RougeLAgainst(string candidate, IReadOnlyList<string> references)
    {
        double sum = 0;
        int pairs = 0;
        foreach (var r in references)
            if (Rouge.Pair(candidate, r) is { } scores)
            {
                sum += scores.RougeL.F;
                pairs++;
            }
        return pairs == 0 ? 0 : sum / pairs;
    }
}
