namespace Milan.Language;

/// <summary>Options of <see cref="BertScorer"/>.</summary>
public sealed record BertScoreOptions
{
    /// <summary>Weight tokens by idf computed on the references (the paper's setting); else weight 1.</summary>
    public bool UseIdf { get; init; } = true;

    /// <summary>Rescale with these baseline values after taking the best reference; null: no rescaling.</summary>
    public BertScoreBaseline? Baseline { get; init; }
}

/// <summary>BERTScore of every candidate (best over its references) and the mean over candidates.</summary>
public sealed record BertScoreResult(IReadOnlyList<PrfScore> PerCandidate, PrfScore Mean, string ModelName);

/// <summary>
/// BERTScore (Zhang, Kishore, Wu, Weinberger and Artzi, ICLR 2020) as bert-score 0.3.11 computes
/// it, over any <see cref="ITokenSimilarityModel"/>.
/// </summary>
/// <remarks>
/// <para>For a candidate x̂ and a reference x with token similarities s(i, j) (special tokens
/// included on both sides): P = Σ<sub>j∈x̂</sub> w(x̂<sub>j</sub>) max<sub>i∈x</sub> s(i, j) / Σ w(x̂<sub>j</sub>),
/// R = Σ<sub>i∈x</sub> w(x<sub>i</sub>) max<sub>j∈x̂</sub> s(i, j) / Σ w(x<sub>i</sub>), F = 2PR / (P + R).</para>
/// <para>Weights: with idf, w(t) = ln((M + 1) / (df(t) + 1)) where M is the number of idf sentences
/// (by default every reference, flattened) and df(t) the number of them that contain t; a token
/// never seen gets ln(M + 1). Without idf, w = 1. Special tokens always weigh 0.</para>
/// <para>Edge cases as in the library: a candidate or reference with no non-special token gets
/// P = R = 0; an F that is 0/0 becomes 0; if all weights of a sentence are 0 the weighted mean is
/// 0/0 = NaN, as in the library.</para>
/// <para>Several references: the candidate is scored against each, and P, R and F are each the
/// maximum over the references (element-wise, so the three may come from different references);
/// then the optional baseline rescaling; the mean is over candidates.</para>
/// <para>Departure: the library pads batches and multiplies padded similarities by 0 before the max,
/// so a token whose similarities are all negative can take 0 from padding, depending on the batch.
/// Here the max runs over real tokens only.</para>
/// </remarks>
public sealed class BertScorer(ITokenSimilarityModel model, BertScoreOptions? options = null)
{
    private readonly ITokenSimilarityModel model = model ?? throw new ArgumentNullException(nameof(model));

    public BertScoreOptions Options { get; } = options ?? new BertScoreOptions();

    /// <summary>
    /// The least and greatest F this scorer can give. With similarities that are never negative, P and R
    /// lie in [0, upper similarity] and so does their harmonic mean F (the 0/0 case gives 0); with
    /// negative similarities P + R can approach 0 and F is unbounded. The baseline rescaling
    /// (x − b)/(1 − b) is increasing, so it maps the bounds to the rescaled bounds.
    /// </summary>
    public (double Lower, double Upper) FRange
    {
        get
        {
            var (lower, upper) = model.SimilarityRange;
            if (lower < 0) return (double.NegativeInfinity, double.PositiveInfinity);
            return Options.Baseline is { } b
                ? (b.Rescale(new PrfScore(0, 0, 0)).F, b.Rescale(new PrfScore(upper, upper, upper)).F)
                : (0, upper);
        }
    }

    /// <summary>
    /// Scores candidate i against each of <paramref name="referencesPerCandidate"/>[i] and keeps the
    /// best. <paramref name="idfSentences"/> defaults to all references flattened, as the MILAN
    /// reference does (idf recomputed on the test set's references).
    /// </summary>
    public BertScoreResult Score(
        IReadOnlyList<string> candidates,
        IReadOnlyList<IReadOnlyList<string>> referencesPerCandidate,
        IReadOnlyList<string>? idfSentences = null,
        IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(referencesPerCandidate);
        if (candidates.Count != referencesPerCandidate.Count)
            throw new MilanInputException(
                $"BERTScore: {referencesPerCandidate.Count} reference groups for {candidates.Count} candidates; expected one group per candidate");
        if (candidates.Count == 0)
            throw new MilanInputException("BERTScore: no candidate given; expected at least one");
        for (var i = 0; i < referencesPerCandidate.Count; i++)
            if (referencesPerCandidate[i].Count == 0)
                throw new MilanInputException($"BERTScore: candidate {i} has no reference; expected at least one");

        var allReferences = referencesPerCandidate.SelectMany(r => r).ToList();
        idfSentences ??= allReferences;

        // Tokenize every distinct sentence once (the library also deduplicates before encoding).
        var distinct = candidates.Concat(allReferences).Concat(Options.UseIdf ? idfSentences : [])
            .Distinct(StringComparer.Ordinal).ToList();
        var tokenized = model.Tokenize(distinct, progress);
        if (tokenized.Count != distinct.Count)
            throw new InvalidOperationException($"{model.Name} returned {tokenized.Count} sentences for {distinct.Count}");
        var bySentence = new Dictionary<string, TokenizedSentence>(StringComparer.Ordinal);
        for (var k = 0; k < distinct.Count; k++) bySentence[distinct[k]] = tokenized[k];

        var idf = Options.UseIdf ? IdfWeights.FromSentences(idfSentences.Select(s => bySentence[s]).ToList()) : null;

        var perCandidate = new PrfScore[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = bySentence[candidates[i]];
            PrfScore? best = null;
            foreach (var reference in referencesPerCandidate[i])
            {
                var score = ScorePair(candidate, bySentence[reference], idf);
                best = best is null
                    ? score
                    : new PrfScore(
                        // Math.Max propagates NaN, as torch.max does.
                        Math.Max(best.Value.Precision, score.Precision),
                        Math.Max(best.Value.Recall, score.Recall),
                        Math.Max(best.Value.F, score.F));
            }
            perCandidate[i] = Options.Baseline is { } baseline ? baseline.Rescale(best!.Value) : best!.Value;
        }
        var mean = new PrfScore(
            perCandidate.Average(s => s.Precision),
            perCandidate.Average(s => s.Recall),
            perCandidate.Average(s => s.F));
        return new BertScoreResult(perCandidate, mean, model.Name);
    }

    /// <summary>Raw P, R, F of one candidate against one reference (no rescaling).</summary>
    public PrfScore ScorePair(TokenizedSentence candidate, TokenizedSentence reference, IdfWeights? idf)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (candidate.HasNoContent || reference.HasNoContent)
            return new PrfScore(0, 0, 0);
        var similarity = model.Similarities(candidate, reference);
        int m = candidate.Tokens.Count, n = reference.Tokens.Count;
        if (similarity.GetLength(0) != m || similarity.GetLength(1) != n)
            throw new InvalidOperationException($"{model.Name} returned a {similarity.GetLength(0)}x{similarity.GetLength(1)} matrix for {m}x{n} tokens");

        var precision = GreedyMatch(similarity, candidateSide: true, candidate, idf);
        var recall = GreedyMatch(similarity, candidateSide: false, reference, idf);
        var f = 2 * precision * recall / (precision + recall);
        return new PrfScore(precision, recall, double.IsNaN(f) ? 0.0 : f);
    }

    /// <summary>
    /// BERTScore's greedy matching for one side (the candidate's rows of <paramref name="similarity"/>
    /// for precision, the reference's columns for recall): each token's best similarity on the other
    /// side, averaged with idf weights.
    /// </summary>
    private static double GreedyMatch(double[,] similarity, bool candidateSide, TokenizedSentence side, IdfWeights? idf)
    {
        int count = similarity.GetLength(candidateSide ? 0 : 1), others = similarity.GetLength(candidateSide ? 1 : 0);
        double sum = 0, weights = 0;
        for (var t = 0; t < count; t++)
        {
            var best = double.NegativeInfinity;
            for (var o = 0; o < others; o++) best = Math.Max(best, candidateSide ? similarity[t, o] : similarity[o, t]);
            var w = Weight(side, t, idf);
            sum += w * best;
            weights += w;
        }
        return sum / weights;
    }

    private static double Weight(TokenizedSentence sentence, int index, IdfWeights? idf) =>
        sentence.IsSpecial[index] ? 0.0 : idf?.Weight(sentence.Tokens[index]) ?? 1.0;
}
