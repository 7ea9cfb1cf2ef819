using Milan.Evaluation;
using Milan.Language;

namespace Milan.Tests.Evaluation;

public class AgreementTests
{
    /// <summary>Similarity 1 for equal words, else 0: BERTScore then counts matched words.</summary>
    private sealed class ExactWords : ITokenSimilarityModel
    {
        public string Name => "exact words";
        public (double Lower, double Upper) SimilarityRange => (0, 1);
        public IReadOnlyList<TokenizedSentence> Tokenize(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null) =>
            sentences.Select(s => new TokenizedSentence(s.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        public double[,] Similarities(TokenizedSentence candidate, TokenizedSentence reference)
        {
            var result = new double[candidate.Tokens.Count, reference.Tokens.Count];
            for (int i = 0; i < candidate.Tokens.Count; i++)
                for (int j = 0; j < reference.Tokens.Count; j++)
                    result[i, j] = candidate.Tokens[i] == reference.Tokens[j] ? 1 : 0;
            return result;
        }
    }

    private static readonly DescriptionMetrics Metrics = new(new BertScorer(new ExactWords(), new BertScoreOptions { UseIdf = false }));

    private static readonly AnnotatedUnit[] Units =
    [
        new("m", "conv1", 0, ["Red circle.", "red circle", "blue square"]),
        new("m", "conv2", 3, ["dog", "cat"]),
        new("m", "conv2", 4, ["only one"]),
    ];

    [Fact]
    public void InterAnnotatorScoresEachAnnotationAgainstTheOthers()
    {
        var units = Agreement.Comparable(Units);
        Assert.Equal(2, units.Count); // the unit with one annotation cannot be compared
        var scores = Agreement.InterAnnotator(units, Metrics);
        // unit 0: "red circle" twice matches the other exactly (F 1), "blue square" matches nothing -> 2/3; unit 1: 0.
        Assert.Equal(2.0 / 3, scores.PerUnit(MetricNames.BertScoreF)[0], 9);
        Assert.Equal(0, scores.PerUnit(MetricNames.BertScoreF)[1], 9);
        // ROUGE-L is the mean over pairs: "red circle" vs (itself, blue square) = 1/2 each; blue square 0.
        Assert.Equal(1.0 / 3, scores.PerUnit(MetricNames.RougeL)[0], 6);
        Assert.Equal(0, scores.PerUnit(MetricNames.RougeL)[1], 6);
    }

    [Fact]
    public void MethodIsScoredAgainstAllAnnotations()
    {
        var units = Agreement.Comparable(Units);
        var scores = Agreement.Method(units, ["red circle", "cat"], Metrics);
        Assert.Equal(1, scores.PerUnit(MetricNames.BertScoreF)[0], 9);   // best over references
        Assert.Equal(1, scores.PerUnit(MetricNames.BertScoreF)[1], 9);
        Assert.Equal(2.0 / 3, scores.PerUnit(MetricNames.RougeL)[0], 6); // mean over pairs: 1, 1, 0
        Assert.Equal(0.5, scores.PerUnit(MetricNames.RougeL)[1], 6);
        // Corpus BLEU over both units equals BLEU of the two segments computed directly.
        double direct = Bleu.ForSegments(["red circle", "cat"], [["red circle", "red circle", "blue square"], ["dog", "cat"]]).Score;
        Assert.Equal(direct, scores.Over(MetricNames.Bleu, [0, 1]), 9);
    }

    [Fact]
    public void EvaluateGivesRowsPerScopeWithIntervals()
    {
        var descriptions = new Dictionary<string, string> { ["m:conv1:0"] = "red circle", ["m:conv2:3"] = "cat", ["m:conv2:4"] = "x" };
        var rows = Agreement.Evaluate(Units, new Dictionary<string, IReadOnlyDictionary<string, string>> { ["milan"] = descriptions }, Metrics,
            new AgreementOptions { Resamples = 200, Metrics = [MetricNames.BertScoreF] });
        // 2 methods x 1 metric x (all + 1 model + 2 layers)
        Assert.Equal(8, rows.Count);
        var human = rows.Single(r => r.Method == Agreement.Annotators && r.Scope == "all");
        Assert.Equal(1.0 / 3, human.Interval.Value, 9);
        Assert.Equal(2, human.Interval.Count);
        Assert.InRange(human.Interval.Lower, 0, human.Interval.Value);
        Assert.InRange(human.Interval.Upper, human.Interval.Value, 2.0 / 3 + 1e-12);
        var layer2 = rows.Single(r => r.Method == "milan" && r.Group == "m:conv2");
        Assert.Equal(1, layer2.Interval.Value, 9);
        Assert.Equal(1, layer2.Interval.Count);
    }

    [Fact]
    public void DescriptionsThatMissAUnitAreAnError() =>
        Assert.Throws<MilanInputException>(() => Agreement.Evaluate(Units,
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["x"] = new Dictionary<string, string> { ["other:conv1:0"] = "a" } }, Metrics));

    [Fact]
    public void EachMetricHasItsRange()
    {
        Assert.Equal((0.0, 100.0), Metrics.Range(MetricNames.Bleu));
        Assert.Equal((0.0, 1.0), Metrics.Range(MetricNames.RougeL));
        Assert.Equal((0.0, 10.0), Metrics.Range(MetricNames.CiderD));
        Assert.Equal((0.0, 1.0), Metrics.Range(MetricNames.BertScoreF));
        Assert.Throws<MilanInputException>(() => Metrics.Range("meteor"));
    }
}
