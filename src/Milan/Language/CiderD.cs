using System.Text.RegularExpressions;

namespace Milan.Language;

/// <summary>CIDEr-D of a corpus: the mean and the score of every candidate.</summary>
public sealed record CiderScore(double Mean, IReadOnlyList<double> PerCandidate);

/// <summary>
/// CIDEr-D (Vedantam, Zitnick and Parikh, CVPR 2015) as the coco-caption evaluation code computes
/// it (pycocoevalcap/cider, the "CIDEr" it reports): tf-idf vectors of n-grams, n = 1..4, with the
/// document frequency counted over the reference sets of the corpus being scored (an n-gram counts
/// once per candidate's reference set), idf = log(number of reference sets) - log(max(1, df));
/// per n, the clipped cosine Σ min(h, r)·r / (|h||r|) (0 when a norm is 0) times the Gaussian
/// length penalty exp(-δ²/(2σ²)), σ = 6; averaged over n, averaged over the references, times 10.
/// </summary>
/// <remarks>
/// <para>Kept from coco-caption: the length δ compared by the penalty is the difference of the two
/// sentences' <em>bigram</em> counts (the code adds the term frequency when the 0-based n-gram
/// index is 1). For non-empty sentences that is the difference of their word counts.</para>
/// <para>Departure: coco-caption first runs the Stanford PTB tokenizer (Java) and removes
/// punctuation. Here the default tokenization is: lowercase, split into words at whitespace and
/// punctuation, keep letters, digits and inner apostrophes. Pass a tokenizer to change it.</para>
/// </remarks>
public static partial class CiderD
{
    /// <summary>The n-gram orders 1..<see cref="MaxOrder"/>.</summary>
    public const int MaxOrder = 4;

    /// <summary>The standard deviation of the length penalty.</summary>
    public const double Sigma = 6.0;

    /// <summary>
    /// Scores candidate i against <paramref name="referencesPerCandidate"/>[i]; the idf comes from
    /// all the reference sets given here.
    /// </summary>
    public static CiderScore Score(
        IReadOnlyList<string> candidates,
        IReadOnlyList<IReadOnlyList<string>> referencesPerCandidate,
        Func<string, IReadOnlyList<string>>? tokenize = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(referencesPerCandidate);
        if (candidates.Count != referencesPerCandidate.Count)
            throw new MilanInputException(
                $"CIDEr-D: {referencesPerCandidate.Count} reference groups for {candidates.Count} candidates; expected one group per candidate");
        if (candidates.Count == 0)
            throw new MilanInputException("CIDEr-D: no candidate given; expected at least one");
        tokenize ??= DefaultTokens;

        var candidateCounts = candidates.Select(c => NGramCounts(tokenize(c))).ToList();
        var referenceCounts = new List<List<Dictionary<string, int>>>();
        for (var i = 0; i < referencesPerCandidate.Count; i++)
        {
            if (referencesPerCandidate[i].Count == 0)
                throw new MilanInputException($"CIDEr-D: candidate {i} has no reference; expected at least one");
            referenceCounts.Add(referencesPerCandidate[i].Select(r => NGramCounts(tokenize(r))).ToList());
        }

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var references in referenceCounts)
            foreach (var ngram in references.SelectMany(r => r.Keys).Distinct())
                documentFrequency[ngram] = documentFrequency.GetValueOrDefault(ngram) + 1;
        var logSetCount = Math.Log(referenceCounts.Count);

        var scores = new double[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var hypothesis = TfIdf(candidateCounts[i], documentFrequency, logSetCount);
            var perOrder = new double[MaxOrder];
            foreach (var reference in referenceCounts[i])
            {
                var similarity = Similarity(hypothesis, TfIdf(reference, documentFrequency, logSetCount));
                for (var n = 0; n < MaxOrder; n++) perOrder[n] += similarity[n];
            }
            scores[i] = perOrder.Average() / referenceCounts[i].Count * 10.0;
        }
        return new CiderScore(scores.Average(), scores);
    }

    /// <summary>The default tokenization: lowercase words of letters, digits and inner apostrophes.</summary>
    public static IReadOnlyList<string> DefaultTokens(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    private sealed record Vector(Dictionary<string, double>[] Weights, double[] Norms, int BigramCount);

    private static Dictionary<string, int> NGramCounts(IReadOnlyList<string> tokens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = tokens as string[] ?? tokens.ToArray();
        for (var n = 1; n <= MaxOrder; n++)
            for (var i = 0; i + n <= words.Length; i++)
            {
                // The n-gram's order is recovered from its number of separators.
                var ngram = string.Join('\u0001', words, i, n);
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }
        return counts;
    }

    private static Vector TfIdf(Dictionary<string, int> counts, Dictionary<string, int> documentFrequency, double logSetCount)
    {
        var weights = Enumerable.Range(0, MaxOrder).Select(_ => new Dictionary<string, double>(StringComparer.Ordinal)).ToArray();
        var norms = new double[MaxOrder];
        var bigrams = 0;
        foreach (var (ngram, termFrequency) in counts)
        {
            var n = ngram.Count(c => c == '\u0001');
            var df = Math.Log(Math.Max(1.0, documentFrequency.GetValueOrDefault(ngram)));
            var weight = termFrequency * (logSetCount - df);
            weights[n][ngram] = weight;
            norms[n] += weight * weight;
            if (n == 1) bigrams += termFrequency;
        }
        for (var n = 0; n < MaxOrder; n++) norms[n] = Math.Sqrt(norms[n]);
        return new Vector(weights, norms, bigrams);
    }

    private static double[] Similarity(Vector hypothesis, Vector reference)
    {
        double delta = hypothesis.BigramCount - reference.BigramCount;
        var penalty = Math.Exp(-(delta * delta) / (2 * Sigma * Sigma));
        var values = new double[MaxOrder];
        for (var n = 0; n < MaxOrder; n++)
        {
            var sum = 0.0;
            foreach (var (ngram, weight) in hypothesis.Weights[n])
            {
                var referenceWeight = reference.Weights[n].GetValueOrDefault(ngram);
                sum += Math.Min(weight, referenceWeight) * referenceWeight;
            }
            if (hypothesis.Norms[n] != 0 && reference.Norms[n] != 0) sum /= hypothesis.Norms[n] * reference.Norms[n];
            values[n] = sum * penalty;
        }
        return values;
    }
}
