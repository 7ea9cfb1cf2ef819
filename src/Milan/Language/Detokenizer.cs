using System.Text;

namespace Milan.Language;

/// <summary>
/// Turns generated tokens back into a description exactly as the reference's
/// <c>Indexer.reconstruct</c> (milan-spec §3.3): cut at the first <c>&lt;stop&gt;</c>, drop the specials,
/// join with spaces, remove the space before ". , ; :", remove the spaces around "-", then split on "."
/// and Python-<c>str.capitalize</c> each stripped piece, joined with ". " (and the whole stripped).
/// </summary>
public static class Detokenizer
{
    public static string Detokenize(IEnumerable<string> tokens)
    {
        var words = new List<string>();
        foreach (var token in tokens)
        {
            if (token == Vocabulary.StopToken) break;
            if (Vocabulary.SpecialTokens.Contains(token)) continue;
            words.Add(token);
        }
        string text = string.Join(' ', words);
        foreach (var mark in new[] { ".", ",", ";", ":" }) text = text.Replace(" " + mark, mark, StringComparison.Ordinal);
        text = text.Replace(" -", "-", StringComparison.Ordinal).Replace("- ", "-", StringComparison.Ordinal);
        return string.Join(". ", text.Split('.').Select(piece => Capitalize(piece.Trim()))).Trim();
    }

    /// <summary>Detokenizes ids of <paramref name="vocabulary"/>.</summary>
    public static string Detokenize(IEnumerable<int> ids, Vocabulary vocabulary) =>
        Detokenize(ids.Select(id => vocabulary[id]));

    /// <summary>Python's str.capitalize: first character upper case, the rest lower case.</summary>
    private static string Capitalize(string text)
    {
        if (text.Length == 0) return text;
        var builder = new StringBuilder(text.Length);
        builder.Append(char.ToUpperInvariant(text[0]));
        builder.Append(text[1..].ToLowerInvariant());
        return builder.ToString();
    }
}
