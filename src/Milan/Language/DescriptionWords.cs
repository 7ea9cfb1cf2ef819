using System.Text.RegularExpressions;

namespace Milan.Language;

/// <summary>
/// The word splitting shared by the offline lexical tools (part-of-speech tagger, WordNet
/// similarity, word rules): lowercase; a token is a run of letters and digits (with inner
/// apostrophes, as in "o'clock"), a possessive or contracted "'s", or any other single
/// non-space character (punctuation, hyphens). "dog's face-like" → dog, 's, face, -, like.
/// </summary>
public static partial class DescriptionWords
{
    /// <summary>All tokens of a description, lowercased, punctuation included.</summary>
    public static IReadOnlyList<string> Split(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return TokenPattern().Matches(description.ToLowerInvariant()).Select(m => m.Value).ToList();
    }

    /// <summary>Only the word tokens (those starting with a letter or digit).</summary>
    public static IReadOnlyList<string> Words(string description) => Split(description).Where(IsWord).ToList();

    /// <summary>True for a token that starts with a letter or a digit.</summary>
    public static bool IsWord(string token) => token.Length > 0 && char.IsLetterOrDigit(token[0]);

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'(?!s\b)[\p{L}\p{N}]+)*|'s\b|[^\s]", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
