namespace Milan.Language;

/// <summary>
/// What <see cref="BertScorer"/> needs from a model: split sentences into tokens and give the
/// similarity of every candidate token to every reference token. Contextual embeddings with cosine
/// similarity (<see cref="CosineTokenSimilarity"/> over an <see cref="ITokenEncoder"/>) give
/// BERTScore proper; <see cref="WordNetSimilarity"/> gives an offline stand-in.
/// </summary>
public interface ITokenSimilarityModel
{
    /// <summary>A short description that names the model, e.g. "roberta-large layer 17".</summary>
    string Name { get; }

    /// <summary>Tokenizes (and, for contextual models, encodes) a batch of sentences.</summary>
    IReadOnlyList<TokenizedSentence> Tokenize(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null);

    /// <summary>The [candidate tokens × reference tokens] similarity matrix.</summary>
    double[,] Similarities(TokenizedSentence candidate, TokenizedSentence reference);

    /// <summary>The least and greatest value a similarity can take (e.g. [−1, 1] for a cosine).</summary>
    (double Lower, double Upper) SimilarityRange { get; }
}

/// <summary>
/// A token encoder for BERTScore: turns sentences into tokens and one embedding vector per token
/// (contextual, so the vectors of a token depend on its sentence).
/// </summary>
public interface ITokenEncoder
{
    /// <summary>A short description that names the encoder.</summary>
    string Name { get; }

    /// <summary>Encodes a batch of sentences.</summary>
    IReadOnlyList<EmbeddedSentence> Encode(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null);
}
