namespace Milan.Language;

/// <summary>
/// ROUGE-1, ROUGE-2 and ROUGE-L with the semantics of the Python package <c>rouge</c> 1.0.1
/// (<c>Rouge().get_scores(hyps, refs, avg=True, ignore_empty=True)</c>, default "exclusive" mode),
/// which the reference uses to log ROUGE.
/// </summary>
/// <remarks>
/// <para>Text handling (no lowercasing, no punctuation removal): a text is split into "sentences"
/// on '.', pieces of length 0 are dropped, each piece has its whitespace runs collapsed to single
/// spaces, and words are the pieces split on ' ' (so a whitespace-only piece yields one empty
/// word, as in the package).</para>
/// <para>ROUGE-N: the sets of distinct n-grams of the hypothesis and of the reference (n-grams run
/// across sentence boundaries); P = |overlap| / |hyp n-grams|, R = |overlap| / |ref n-grams| (0
/// when a set is empty), F = 2PR / (P + R + 1e-8).</para>
/// <para>ROUGE-L (summary level): LCS<sub>∪</sub> = the number of distinct words in the union,
/// over reference sentences r and hypothesis sentences c, of the words of the LCS of (r, c) as
/// reconstructed by the package's back-tracking; P = LCS<sub>∪</sub> / distinct hypothesis words,
/// R = LCS<sub>∪</sub> / distinct reference words, F = 2PR / (P + R + 1e-8).</para>
/// <para>Multiple references, as the MILAN reference calls it: every prediction is paired with each
/// of its references and the scores are averaged over all pairs. Pairs whose prediction or
/// reference is the empty string are skipped (ignore_empty). Departure: a non-empty text with no
/// words (e.g. "." alone) makes the package raise; here such a pair is skipped as well.</para>
/// </remarks>
public static class Rouge
{
    /// <summary>
    /// Averages over all (prediction, reference) pairs: prediction i with each of
    /// <paramref name="referencesPerPrediction"/>[i].
    /// </summary>
    public static RougeScores Score(IReadOnlyList<string> predictions, IReadOnlyList<IReadOnlyList<string>> referencesPerPrediction)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(referencesPerPrediction);
        if (predictions.Count != referencesPerPrediction.Count)
            throw new MilanInputException(
                $"ROUGE: {referencesPerPrediction.Count} reference groups for {predictions.Count} predictions; expected one group per prediction");
        var pairs = new List<(string, string)>();
        for (var i = 0; i < predictions.Count; i++)
            foreach (var reference in referencesPerPrediction[i])
                pairs.Add((predictions[i], reference));
        return ScorePairs(pairs);
    }

    /// <summary>The average of <see cref="Pair"/> over the pairs that are not skipped.</summary>
    public static RougeScores ScorePairs(IEnumerable<(string Hypothesis, string Reference)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        double[] sums = new double[9];
        var count = 0;
        foreach (var (hypothesis, reference) in pairs)
        {
            var scores = Pair(hypothesis, reference);
            if (scores is null) continue;
            var (r1, r2, rl) = scores.Value;
            var values = new[] { r1.F, r1.Precision, r1.Recall, r2.F, r2.Precision, r2.Recall, rl.F, rl.Precision, rl.Recall };
            for (var k = 0; k < 9; k++) sums[k] += values[k];
            count++;
        }
        if (count == 0)
            throw new MilanInputException("ROUGE: no pair with a non-empty prediction and a non-empty reference");
        RougeTriple Mean(int k) => new(sums[k] / count, sums[k + 1] / count, sums[k + 2] / count);
        return new RougeScores(Mean(0), Mean(3), Mean(6), count);
    }

    /// <summary>
    /// ROUGE-1, ROUGE-2 and ROUGE-L of one hypothesis against one reference, or null when the pair
    /// is skipped (an empty string, or a text with no sentence after splitting on '.').
    /// </summary>
    public static (RougeTriple Rouge1, RougeTriple Rouge2, RougeTriple RougeL)? Pair(string hypothesis, string reference)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(reference);
        if (hypothesis.Length == 0 || reference.Length == 0) return null;
        var hypSentences = Sentences(hypothesis);
        var refSentences = Sentences(reference);
        if (hypSentences.Count == 0 || refSentences.Count == 0) return null;
        return (RougeN(hypSentences, refSentences, 1), RougeN(hypSentences, refSentences, 2), RougeL(hypSentences, refSentences));
    }

    /// <summary>The package's sentence split: pieces between '.', non-empty, whitespace collapsed.</summary>
    internal static List<string> Sentences(string text) =>
        text.Split('.')
            .Where(piece => piece.Length > 0)
            .Select(piece => string.Join(' ', PythonText.SplitOnWhitespace(piece)))
            .ToList();

    private static List<string> Words(IEnumerable<string> sentences) =>
        sentences.SelectMany(s => s.Split(' ')).ToList();

    private static RougeTriple RougeN(List<string> hypSentences, List<string> refSentences, int n)
    {
        var hyp = NGramSet(Words(hypSentences), n);
        var reference = NGramSet(Words(refSentences), n);
        var overlap = hyp.Count(reference.Contains);
        var precision = hyp.Count == 0 ? 0.0 : (double)overlap / hyp.Count;
        var recall = reference.Count == 0 ? 0.0 : (double)overlap / reference.Count;
        return new RougeTriple(F(precision, recall), precision, recall);
    }

    private static HashSet<string> NGramSet(List<string> words, int n)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        // Words never contain ' ', so joining a fixed number of them with ' ' is one-to-one.
        for (var i = 0; i + n <= words.Count; i++)
            set.Add(string.Join(' ', words.GetRange(i, n)));
        return set;
    }

    private static RougeTriple RougeL(List<string> hypSentences, List<string> refSentences)
    {
        var referenceWordCount = new HashSet<string>(Words(refSentences), StringComparer.Ordinal).Count;
        var hypothesisWordCount = new HashSet<string>(Words(hypSentences), StringComparer.Ordinal).Count;
        var union = new HashSet<string>(StringComparer.Ordinal);
        foreach (var referenceSentence in refSentences)
        {
            var referenceWords = referenceSentence.Split(' ');
            foreach (var hypothesisSentence in hypSentences)
                union.UnionWith(LongestCommonSubsequence(referenceWords, hypothesisSentence.Split(' ')));
        }
        var precision = (double)union.Count / hypothesisWordCount;
        var recall = (double)union.Count / referenceWordCount;
        return new RougeTriple(F(precision, recall), precision, recall);
    }

    /// <summary>
    /// The words of one longest common subsequence of x and y, chosen by the package's back-tracking
    /// from the end: take a match; otherwise move up (drop x's last word) only when that cell is
    /// strictly larger, else move left.
    /// </summary>
    internal static List<string> LongestCommonSubsequence(IReadOnlyList<string> x, IReadOnlyList<string> y)
    {
        var table = new int[x.Count + 1, y.Count + 1];
        for (var i = 1; i <= x.Count; i++)
            for (var j = 1; j <= y.Count; j++)
                table[i, j] = x[i - 1] == y[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
        var result = new List<string>();
        int a = x.Count, b = y.Count;
        while (a > 0 && b > 0)
        {
            if (x[a - 1] == y[b - 1]) { result.Add(x[a - 1]); a--; b--; }
            else if (table[a - 1, b] > table[a, b - 1]) a--;
            else b--;
        }
        result.Reverse();
        return result;
    }

    private static double F(double precision, double recall) => 2.0 * (precision * recall / (precision + recall + 1e-8));
}
