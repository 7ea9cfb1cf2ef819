namespace Milan.Language;

/// <summary>
/// BERTScore's token similarity: the cosine of the token embeddings of an <see cref="ITokenEncoder"/>
/// (each vector is divided by its norm, then dot products are taken).
/// </summary>
public sealed class CosineTokenSimilarity(ITokenEncoder encoder) : ITokenSimilarityModel
{
    private readonly ITokenEncoder encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));

    public string Name => encoder.Name;

    public (double Lower, double Upper) SimilarityRange => (-1, 1);

    public IReadOnlyList<TokenizedSentence> Tokenize(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null) =>
        encoder.Encode(sentences, progress)
            .Select(s => (TokenizedSentence)new EmbeddedSentence(s.Tokens, s.IsSpecial, s.Embeddings.Select(Normalized).ToArray()))
            .ToList();

    public double[,] Similarities(TokenizedSentence candidate, TokenizedSentence reference)
    {
        var c = AsEmbedded(candidate);
        var r = AsEmbedded(reference);
        var result = new double[c.Embeddings.Length, r.Embeddings.Length];
        for (var i = 0; i < c.Embeddings.Length; i++)
            for (var j = 0; j < r.Embeddings.Length; j++)
                result[i, j] = Dot(c.Embeddings[i], r.Embeddings[j]);
        return result;
    }

    private static EmbeddedSentence AsEmbedded(TokenizedSentence sentence) =>
        sentence as EmbeddedSentence
        ?? throw new ArgumentException("expected a sentence tokenized by this model (with embeddings)", nameof(sentence));

    private static float[] Normalized(float[] v)
    {
        var norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => (float)(x / norm)).ToArray();
    }

    private static double Dot(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"embedding sizes differ: {a.Length} and {b.Length}");
        var sum = 0.0;
        for (var k = 0; k < a.Length; k++) sum += (double)a[k] * b[k];
        return sum;
    }
}
