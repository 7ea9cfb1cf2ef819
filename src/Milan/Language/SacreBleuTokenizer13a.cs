using System.Text.RegularExpressions;

namespace Milan.Language;

/// <summary>
/// The "13a" tokenizer of sacrebleu 1.5.1 (the mteval-v13a.pl tokenization used by WMT), the
/// default of <see cref="Bleu"/>. It splits off most punctuation and symbols, keeps apostrophes and
/// hyphens inside words (a hyphen is split only after a digit), and splits a period or comma unless
/// it sits between digits. The output is the tokens joined by single spaces.
/// </summary>
public static partial class SacreBleuTokenizer13a
{
    /// <summary>Tokenizes one line and returns the tokens joined by single spaces.</summary>
    public static string Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        // Language-independent part.
        line = line.Replace("<skipped>", "")
            .Replace("-\n", "")
            .Replace("\n", " ")
            .Replace("&quot;", "\"")
            .Replace("&amp;", "&")
            .Replace("&lt;", "<")
            .Replace("&gt;", ">");
        line = " " + line + " ";
        // Language-dependent part, in sacrebleu's order: symbols, then period/comma unless preceded
        // by a digit, unless followed by a digit, then a dash after a digit, then whitespace runs.
        line = Symbols().Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        line = Whitespace().Replace(line, " ");
        return line.Trim(' ');
    }

    /// <summary>The tokens of <paramref name="line"/> after 13a tokenization.</summary>
    public static string[] Tokens(string line) =>
        Tokenize(line).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // The character class of sacrebleu: { | } ~  [ \ ] ^ _ `  space ! " # $ % &  ( ) * +  : ; < = > ? @  /
    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])", RegexOptions.CultureInvariant)]
    private static partial Regex Symbols();

    [GeneratedRegex(@"([^0-9])([\.,])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)", RegexOptions.CultureInvariant)]
    private static partial Regex DashAfterDigit();

    // Python's \s also matches the separators U+001C..U+001F, which .NET's \s does not.
    [GeneratedRegex(@"[\s\x1c-\x1f]+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
