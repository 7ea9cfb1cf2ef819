namespace Milan.Language;

/// <summary>
/// Corpus BLEU exactly as sacrebleu 1.5.1's <c>corpus_bleu</c> computes it with its defaults:
/// 13a tokenization (<see cref="SacreBleuTokenizer13a"/>), n-grams up to 4, case-sensitive,
/// "exp" smoothing (the k-th n-gram order with no match gets precision 1/(2^k · total)), clipped
/// counts against the element-wise maximum over the references, and the brevity penalty against
/// the closest reference length (the shorter one on ties), all summed over the corpus.
/// </summary>
/// <remarks>
/// As in sacrebleu 1.5.1, empty (or missing) references of a segment are dropped and an empty
/// hypothesis is kept; a segment left with no reference is an error. An n-gram order with no
/// hypothesis n-grams at all stops the precision loop, and BLEU is then 0.
/// </remarks>
public static class Bleu
{
    /// <summary>The maximum n-gram order (sacrebleu's NGRAM_ORDER).</summary>
    public const int MaxOrder = 4;

    /// <summary>
    /// Corpus BLEU in sacrebleu's calling convention: one hypothesis stream and several reference
    /// streams, each as long as the hypothesis stream (stream k holds the k-th reference of every
    /// segment; use "" or null where a segment has fewer references).
    /// </summary>
    public static BleuScore FromStreams(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referenceStreams)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (referenceStreams.Count == 0)
            throw new MilanInputException("BLEU: no reference stream given; expected at least one");
        for (var k = 0; k < referenceStreams.Count; k++)
            if (referenceStreams[k].Count != hypotheses.Count)
                throw new MilanInputException(
                    $"BLEU: reference stream {k} has {referenceStreams[k].Count} segments; expected {hypotheses.Count}, one per hypothesis");
        var perSegment = new List<IReadOnlyList<string?>>(hypotheses.Count);
        for (var i = 0; i < hypotheses.Count; i++)
            perSegment.Add(referenceStreams.Select(stream => stream[i]).ToArray());
        return ForSegments(hypotheses, perSegment);
    }

    /// <summary>
    /// Corpus BLEU with the references grouped by segment (a unit's annotations): segment i is
    /// scored against all of <paramref name="referencesPerSegment"/>[i]. This equals
    /// <see cref="FromStreams"/> with the references transposed into streams.
    /// </summary>
    public static BleuScore ForSegments(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string?>> referencesPerSegment)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referencesPerSegment);
        if (referencesPerSegment.Count != hypotheses.Count)
            throw new MilanInputException(
                $"BLEU: {referencesPerSegment.Count} reference groups for {hypotheses.Count} hypotheses; expected one group per hypothesis");

        var correct = new long[MaxOrder];
        var total = new long[MaxOrder];
        long systemLength = 0, referenceLength = 0;
        for (var i = 0; i < hypotheses.Count; i++)
        {
            var hypothesis = hypotheses[i] ?? throw new MilanInputException($"BLEU: hypothesis {i} is null");
            var references = referencesPerSegment[i].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).ToList();
            if (references.Count == 0)
                throw new MilanInputException($"BLEU: segment {i} has no non-empty reference; expected at least one");

            var output = SacreBleuTokenizer13a.Tokens(PythonText.RightStrip(hypothesis));
            var referenceTokens = references.Select(r => SacreBleuTokenizer13a.Tokens(PythonText.RightStrip(r))).ToList();

            var (referenceCounts, closestLength) = ReferenceStatistics(referenceTokens, output.Length);
            systemLength += output.Length;
            referenceLength += closestLength;

            foreach (var (ngram, count) in NGramCounts(output))
            {
                var n = ngram.Count(c => c == ' ') + 1;
                correct[n - 1] += Math.Min(count, referenceCounts.GetValueOrDefault(ngram));
                total[n - 1] += count;
            }
        }
        return FromStatistics(correct, total, systemLength, referenceLength);
    }

    /// <summary>
    /// BLEU from its sufficient statistics with "exp" smoothing (sacrebleu's compute_bleu with
    /// smooth_method='exp' and use_effective_order=False).
    /// </summary>
    public static BleuScore FromStatistics(IReadOnlyList<long> correct, IReadOnlyList<long> total, long systemLength, long referenceLength)
    {
        if (correct.Count != MaxOrder || total.Count != MaxOrder)
            throw new ArgumentException($"expected {MaxOrder} counts and totals");
        var precisions = new double[MaxOrder];
        var smooth = 1.0;
        for (var n = 1; n <= MaxOrder; n++)
        {
            if (total[n - 1] == 0) break;
            if (correct[n - 1] == 0)
            {
                smooth *= 2;
                precisions[n - 1] = 100.0 / (smooth * total[n - 1]);
            }
            else
            {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }

        double brevityPenalty;
        if (systemLength < referenceLength)
            brevityPenalty = systemLength > 0 ? Math.Exp(1.0 - (double)referenceLength / systemLength) : 0.0;
        else
            brevityPenalty = 1.0;

        // sacrebleu's my_log: log(0) is replaced by -9999999999, so any zero precision gives BLEU 0.
        var logSum = precisions.Sum(p => p == 0.0 ? -9999999999.0 : Math.Log(p));
        var score = brevityPenalty * Math.Exp(logSum / MaxOrder);
        return new BleuScore(score, precisions, correct.ToArray(), total.ToArray(), brevityPenalty, systemLength, referenceLength);
    }

    private static (Dictionary<string, long> Counts, long ClosestLength) ReferenceStatistics(List<string[]> references, int outputLength)
    {
        var maxCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        long? closestDiff = null;
        long closestLength = 0;
        foreach (var tokens in references)
        {
            long length = tokens.Length;
            var diff = Math.Abs(outputLength - length);
            if (closestDiff is null || diff < closestDiff)
            {
                closestDiff = diff;
                closestLength = length;
            }
            else if (diff == closestDiff && length < closestLength)
            {
                closestLength = length;
            }
            foreach (var (ngram, count) in NGramCounts(tokens))
                maxCounts[ngram] = Math.Max(maxCounts.GetValueOrDefault(ngram), count);
        }
        return (maxCounts, closestLength);
    }

    /// <summary>All n-grams (n = 1..4) of a token sequence, as space-joined strings, with counts.</summary>
    internal static Dictionary<string, long> NGramCounts(IReadOnlyList<string> tokens)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var n = 1; n <= MaxOrder; n++)
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                var ngram = n == 1 ? tokens[i] : JoinRange(tokens, i, n);
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }
        return counts;
    }

    private static string JoinRange(IReadOnlyList<string> tokens, int start, int count)
    {
        var builder = new System.Text.StringBuilder(tokens[start]);
        for (var k = start + 1; k < start + count; k++) builder.Append(' ').Append(tokens[k]);
        return builder.ToString();
    }
}
