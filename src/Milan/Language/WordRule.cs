using System.Text.RegularExpressions;

namespace Milan.Language;

/// <summary>
/// A rule that flags descriptions by the words they contain, as the applications do: face units
/// (paper §6) and text units (paper §7). Whole-word rules compare lowercase words of letters (a
/// description is split at every character that is not a letter, so "face-like" and "dog's"
/// give "face", "like", "dog", "s"); substring rules search the lowercase description as the
/// reference does.
/// </summary>
public sealed partial class WordRule
{
    private readonly HashSet<string>? words;
    private readonly string[]? substrings;

    private WordRule(string name, HashSet<string>? words, string[]? substrings)
    {
        Name = name;
        this.words = words;
        this.substrings = substrings;
    }

    /// <summary>A short name for tables, e.g. "face words (whole word)".</summary>
    public string Name { get; }

    /// <summary>
    /// The paper's face words, face, head, nose, eyes, mouth, as whole words; plurals are explicit:
    /// each word in the singular and the plural (face/faces, head/heads, nose/noses, eye/eyes,
    /// mouth/mouths). Not matched: "facial", "forehead", "headlight", "eyed".
    /// </summary>
    public static WordRule FaceWords { get; } = WholeWords("face words (whole word)",
        "face", "faces", "head", "heads", "nose", "noses", "eye", "eyes", "mouth", "mouths");

    /// <summary>
    /// The reference's text words, text, word, letter, as whole words, singular and plural
    /// (text/texts, word/words, letter/letters). Not matched: "texture", "textured", "lettering", "sword".
    /// </summary>
    public static WordRule TextWords { get; } = WholeWords("text words (whole word)",
        "text", "texts", "word", "words", "letter", "letters");

    /// <summary>
    /// The reference's rule (experiments/edit.py): the lowercase description contains "text", "word"
    /// or "letter" anywhere, so it also flags "texture", "textured", "lettering", "sword".
    /// </summary>
    public static WordRule TextSubstringsAsReference { get; } = Substrings("text substrings (reference)", "text", "word", "letter");

    /// <summary>A rule that matches any of these exact lowercase words (list every inflection you want matched).</summary>
    public static WordRule WholeWords(string name, params string[] words)
    {
        if (words.Length == 0 || words.Any(w => w.Length == 0 || !w.All(char.IsLetter)))
            throw new ArgumentException("expected one or more words made of letters", nameof(words));
        return new WordRule(name, new HashSet<string>(words.Select(w => w.ToLowerInvariant()), StringComparer.Ordinal), null);
    }

    /// <summary>A rule that matches when the lowercase description contains any of these substrings.</summary>
    public static WordRule Substrings(string name, params string[] substrings)
    {
        if (substrings.Length == 0 || substrings.Any(s => s.Length == 0))
            throw new ArgumentException("expected one or more non-empty substrings", nameof(substrings));
        return new WordRule(name, null, substrings.Select(s => s.ToLowerInvariant()).ToArray());
    }

    /// <summary>True when the description is flagged.</summary>
    public bool Matches(string description) => Matched(description).Count > 0;

    /// <summary>What made the description match: the matched words (whole-word rules, in order, repeats kept) or substrings.</summary>
    public IReadOnlyList<string> Matched(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var lower = description.ToLowerInvariant();
        if (substrings is not null)
            return substrings.Where(s => lower.Contains(s, StringComparison.Ordinal)).ToList();
        return NonLetters().Split(lower).Where(w => w.Length > 0 && words!.Contains(w)).ToList();
    }

    [GeneratedRegex(@"[^\p{L}]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonLetters();
}
