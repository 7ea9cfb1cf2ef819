namespace Milan.Language;

/// <summary>
/// A sentence split into the tokens that a BERTScore-style metric matches. Special tokens (such as
/// RoBERTa's &lt;s&gt; and &lt;/s&gt;) take part in the matching but weigh 0 in the sums.
/// </summary>
public class TokenizedSentence
{
    public TokenizedSentence(IReadOnlyList<string> tokens, IReadOnlyList<bool>? isSpecial = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (isSpecial is not null && isSpecial.Count != tokens.Count)
            throw new ArgumentException($"{isSpecial.Count} special flags for {tokens.Count} tokens", nameof(isSpecial));
        Tokens = tokens;
        IsSpecial = isSpecial ?? new bool[tokens.Count];
    }

    /// <summary>The tokens; equal strings are the same token for the idf weights.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Whether each token is a special token (idf weight 0).</summary>
    public IReadOnlyList<bool> IsSpecial { get; }

    /// <summary>True when the sentence has no token other than special ones (BERTScore then gives P = R = 0).</summary>
    public bool HasNoContent => IsSpecial.All(s => s);
}

/// <summary>A tokenized sentence with one embedding vector per token (rows of any norm).</summary>
public sealed class EmbeddedSentence : TokenizedSentence
{
    public EmbeddedSentence(IReadOnlyList<string> tokens, IReadOnlyList<bool>? isSpecial, float[][] embeddings)
        : base(tokens, isSpecial)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Length != tokens.Count)
            throw new ArgumentException($"{embeddings.Length} embeddings for {tokens.Count} tokens", nameof(embeddings));
        Embeddings = embeddings;
    }

    /// <summary>One vector per token.</summary>
    public float[][] Embeddings { get; }
}
