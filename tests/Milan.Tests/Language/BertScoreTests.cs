using Milan.Language;

namespace Milan.Tests.Language;

public class BertScoreTests
{
    /// <summary>
    /// A token encoder with a fixed table of 3-d vectors: words split on spaces, wrapped in &lt;s&gt;
    /// and &lt;/s&gt;. cos(cat, dog) = 0.6, cos(dog, car) = 0.8, cos(cat, car) = 0,
    /// cos(sun, &lt;s&gt;) = 0.8, cos(sun, car) = 0.6, cos(sun, &lt;/s&gt;) = -0.8.
    /// Vectors are deliberately not unit length where the cosine should not care.
    /// </summary>
    private sealed class TableEncoder : ITokenEncoder
    {
        private static readonly Dictionary<string, float[]> table = new()
        {
            ["<s>"] = [0, 0, 1],
            ["</s>"] = [0, 0, -2],
            ["cat"] = [3, 0, 0],
            ["dog"] = [0.6f, 0.8f, 0],
            ["car"] = [0, 1, 0],
            ["sun"] = [0, 1.2f, 1.6f],
        };

        public string Name => "table";

        public IReadOnlyList<EmbeddedSentence> Encode(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null) =>
            sentences.Select(s =>
            {
                var tokens = new[] { "<s>" }.Concat(s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append("</s>").ToArray();
                return new EmbeddedSentence(tokens, tokens.Select((_, i) => i == 0 || i == tokens.Length - 1).ToArray(),
                    tokens.Select(t => table[t]).ToArray());
            }).ToList();
    }

    private static BertScorer Scorer(bool idf, BertScoreBaseline? baseline = null) =>
        new(new CosineTokenSimilarity(new TableEncoder()), new BertScoreOptions { UseIdf = idf, Baseline = baseline });

    [Fact]
    public void Greedy_matching_without_idf_worked_by_hand()
    {
        // cat dog vs cat car: precision rows cat -> 1 (cat), dog -> 0.8 (car); recall columns
        // cat -> 1, car -> 0.8. P = R = F = 0.9.
        var result = Scorer(idf: false).Score(["cat dog"], [["cat car"]]);
        Assert.Equal(0.9, result.Mean.Precision, 6);
        Assert.Equal(0.9, result.Mean.Recall, 6);
        Assert.Equal(0.9, result.Mean.F, 6);
    }

    [Fact]
    public void Special_tokens_are_matched_but_weigh_nothing()
    {
        // sun vs car: sun's best match is the reference's <s> (0.8), not car (0.6): P = 0.8.
        // car's best match is sun (0.6): R = 0.6. F = 2 * 0.48 / 1.4.
        var result = Scorer(idf: false).Score(["sun"], [["car"]]);
        Assert.Equal(0.8, result.Mean.Precision, 6);
        Assert.Equal(0.6, result.Mean.Recall, 6);
        Assert.Equal(0.96 / 1.4, result.Mean.F, 6);
    }

    [Fact]
    public void Idf_weights_worked_by_hand()
    {
        // idf sentences "cat car", "car", "sun" (M = 3): idf(cat) = ln(4/2), idf(car) = ln(4/3),
        // idf(dog) = ln 4 (unseen). cat dog vs cat car:
        // P = (ln2 * 1 + ln4 * 0.8) / (ln2 + ln4) = 2.6 / 3;
        // R = (ln2 * 1 + ln(4/3) * 0.8) / (ln2 + ln(4/3)).
        var result = Scorer(idf: true).Score(["cat dog"], [["cat car"]], idfSentences: ["cat car", "car", "sun"]);
        var p = 2.6 / 3;
        var r = (Math.Log(2) + Math.Log(4.0 / 3) * 0.8) / (Math.Log(2) + Math.Log(4.0 / 3));
        Assert.Equal(p, result.Mean.Precision, 6);
        Assert.Equal(r, result.Mean.Recall, 6);
        Assert.Equal(2 * p * r / (p + r), result.Mean.F, 6);
    }

    [Fact]
    public void Idf_defaults_to_the_references()
    {
        // References "cat car" and "dog car" (M = 2): car is in both, idf ln(3/3) = 0, so missing it
        // costs no recall: cat vs cat car gives R = 1 (it would be 0.5 without idf).
        var result = Scorer(idf: true).Score(["cat", "dog"], [["cat car"], ["dog car"]]);
        Assert.Equal(1.0, result.PerCandidate[0].Recall, 6);
        Assert.Equal(0.5, Scorer(idf: false).Score(["cat"], [["cat car"]]).Mean.Recall, 6);
    }

    [Fact]
    public void Best_reference_is_taken_element_wise_then_rescaled()
    {
        // cat vs cat car: P 1, R 0.5 (car's best is 0), F 2/3. cat vs dog: P = R = F = 0.6.
        // Element-wise max: P 1 and F 2/3 from the first, R 0.6 from the second.
        var raw = Scorer(idf: false).Score(["cat"], [["cat car", "dog"]]);
        Assert.Equal(new[] { 1.0, 0.6, 2.0 / 3 }, new[] { raw.Mean.Precision, raw.Mean.Recall, raw.Mean.F }, new ToleranceComparer(1e-6));

        // Rescaling (x - b) / (1 - b) with b = (0.5, 0.4, 0.3).
        var rescaled = Scorer(idf: false, new BertScoreBaseline(0.5, 0.4, 0.3)).Score(["cat"], [["cat car", "dog"]]);
        Assert.Equal(1.0, rescaled.Mean.Precision, 6);
        Assert.Equal(0.2 / 0.6, rescaled.Mean.Recall, 6);
        Assert.Equal((2.0 / 3 - 0.3) / 0.7, rescaled.Mean.F, 6);
    }

    [Fact]
    public void F_range_follows_the_similarity_range_and_the_baseline()
    {
        // Cosines can be negative, so P + R can approach 0 and F is unbounded.
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), Scorer(idf: true).FRange);
        // Wu-Palmer similarities lie in [0, 1], so does F; rescaled with b = 0.3: [(0 − 0.3)/0.7, (1 − 0.3)/0.7].
        Assert.Equal((0.0, 1.0), WordNetSimilarity.CreateScorer().FRange);
        var rescaled = new BertScorer(new WordNetSimilarity(), new BertScoreOptions { Baseline = new BertScoreBaseline(0.5, 0.4, 0.3) }).FRange;
        Assert.Equal(-0.3 / 0.7, rescaled.Lower, 12);
        Assert.Equal(1.0, rescaled.Upper, 12);
    }

    [Fact]
    public void Mean_is_over_candidates_and_an_empty_candidate_scores_zero()
    {
        var result = Scorer(idf: false).Score(["cat dog", ""], [["cat car"], ["cat"]]);
        Assert.Equal(new PrfScore(0, 0, 0), result.PerCandidate[1]);
        Assert.Equal(0.45, result.Mean.F, 6);
    }

    [Fact]
    public void Bad_input_is_reported()
    {
        Assert.Throws<MilanInputException>(() => Scorer(false).Score(["cat"], [[]]));
        Assert.Throws<MilanInputException>(() => Scorer(false).Score(["cat"], [["cat"], ["dog"]]));
    }
}
