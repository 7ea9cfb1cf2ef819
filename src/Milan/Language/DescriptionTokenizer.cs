using System.Text.RegularExpressions;

namespace Milan.Language;

/// <summary>
/// Splits a neuron description into tokens the way the reference's spaCy <c>en_core_web_sm</c>
/// tokenizer (spaCy 3.3) does, with MILAN's settings: no lemmas, lowercase, stop words and
/// punctuation kept, whitespace-only tokens dropped.
/// <para>
/// The algorithm is spaCy's: split on whitespace; for each chunk, use a special case (tokenizer
/// exception) if the chunk is one; otherwise strip prefixes and suffixes repeatedly (stopping as soon
/// as what remains is a special case), then keep the rest whole if it is a special case or looks like
/// a URL, else split it at infixes. Tokens are lowercased after splitting (as the reference does), so
/// case-sensitive rules (e.g. "." between a lower- and an upper-case letter) see the original text.
/// </para>
/// <para>
/// Departures, all outside what short descriptions contain: letter classes are Unicode's (spaCy lists
/// scripts explicitly); "icons" are Unicode category So; the URL rule has no IP-address branch; and
/// spaCy's second pass that re-merges special cases split by affix rules inside a chunk (e.g. the
/// emoticon in "dogs:)") is not done. docs/captioning.md has the table of behaviours relied on.
/// </para>
/// </summary>
public static class DescriptionTokenizer
{
    /// <summary>The tokens of <paramref name="text"/>, lowercased.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        foreach (var chunk in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var token in TokenizeChunk(chunk))
            {
                if (!string.IsNullOrWhiteSpace(token)) tokens.Add(token.ToLowerInvariant());
            }
        }
        return tokens;
    }

    private static List<string> TokenizeChunk(string chunk)
    {
        if (SpacyRules.SpecialCases.TryGetValue(chunk, out var special)) return [.. special];

        var prefixes = new List<string>();
        var suffixes = new List<string>();
        string rest = chunk;
        int lastLength = -1;
        while (rest.Length > 0 && rest.Length != lastLength)
        {
            if (SpacyRules.SpecialCases.ContainsKey(rest)) break;
            lastLength = rest.Length;
            int prefixLength = SpacyRules.PrefixLength(rest);
            if (prefixLength > 0)
            {
                string minusPrefix = rest[prefixLength..];
                if (minusPrefix.Length > 0 && SpacyRules.SpecialCases.ContainsKey(minusPrefix))
                {
                    prefixes.Add(rest[..prefixLength]);
                    rest = minusPrefix;
                    break;
                }
            }
            int suffixLength = SpacyRules.SuffixLength(rest[prefixLength..]);
            if (suffixLength > 0)
            {
                string minusSuffix = rest[..^suffixLength];
                if (minusSuffix.Length > 0 && SpacyRules.SpecialCases.ContainsKey(minusSuffix))
                {
                    suffixes.Add(rest[^suffixLength..]);
                    rest = minusSuffix;
                    break;
                }
            }
            if (prefixLength > 0 && suffixLength > 0 && prefixLength + suffixLength <= rest.Length)
            {
                prefixes.Add(rest[..prefixLength]);
                suffixes.Add(rest[^suffixLength..]);
                rest = rest[prefixLength..^suffixLength];
            }
            else if (prefixLength > 0)
            {
                prefixes.Add(rest[..prefixLength]);
                rest = rest[prefixLength..];
            }
            else if (suffixLength > 0)
            {
                suffixes.Add(rest[^suffixLength..]);
                rest = rest[..^suffixLength];
            }
        }

        var tokens = new List<string>(prefixes);
        if (rest.Length > 0)
        {
            if (SpacyRules.SpecialCases.TryGetValue(rest, out var restSpecial)) tokens.AddRange(restSpecial);
            else if (SpacyRules.Url.IsMatch(rest)) tokens.Add(rest);
            else SplitInfixes(rest, tokens);
        }
        for (int i = suffixes.Count - 1; i >= 0; i--) tokens.Add(suffixes[i]);
        return tokens;
    }

    private static void SplitInfixes(string text, List<string> tokens)
    {
        int start = 0;
        foreach (Match match in SpacyRules.Infix.Matches(text))
        {
            // An infix at the very start is not split off (spaCy skips it).
            if (match.Index == 0) continue;
            if (match.Index != start) tokens.Add(text[start..match.Index]);
            if (match.Length > 0) tokens.Add(match.Value);
            start = match.Index + match.Length;
        }
        if (start < text.Length) tokens.Add(text[start..]);
    }
}
