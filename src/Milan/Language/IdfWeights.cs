namespace Milan.Language;

/// <summary>
/// BERTScore's inverse document frequencies: idf(t) = ln((M + 1) / (df(t) + 1)) over M sentences,
/// where df(t) counts the sentences that contain token t at least once; an unseen token gets
/// ln(M + 1). (Special tokens are given weight 0 by <see cref="BertScorer"/>, not here.)
/// </summary>
public sealed class IdfWeights
{
    private readonly Dictionary<string, int> documentFrequency;

    private IdfWeights(Dictionary<string, int> documentFrequency, int sentenceCount)
    {
        this.documentFrequency = documentFrequency;
        SentenceCount = sentenceCount;
    }

    /// <summary>M, the number of sentences the weights were computed on.</summary>
    public int SentenceCount { get; }

    /// <summary>Counts document frequencies over tokenized sentences.</summary>
    public static IdfWeights FromSentences(IReadOnlyList<TokenizedSentence> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
            foreach (var token in sentence.Tokens.Distinct(StringComparer.Ordinal))
                df[token] = df.GetValueOrDefault(token) + 1;
        return new IdfWeights(df, sentences.Count);
    }

    /// <summary>idf of a token.</summary>
    public double Weight(string token) =>
        Math.Log((SentenceCount + 1.0) / (documentFrequency.GetValueOrDefault(token) + 1.0));
}
