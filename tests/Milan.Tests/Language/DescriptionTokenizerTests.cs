using Milan.Language;

namespace Milan.Tests.Language;

/// <summary>
/// The spaCy 3.3 (en_core_web_sm) behaviours the tokenizer relies on, each worked out from spaCy's
/// English rules (prefix/suffix/infix patterns and tokenizer exceptions); docs/captioning.md lists them.
/// </summary>
public class DescriptionTokenizerTests
{
    [Theory]
    [InlineData("red and white stripes", "red|and|white|stripes")]
    [InlineData("Dogs, cats.", "dogs|,|cats|.")]                              // comma and final period are suffixes
    [InlineData("black-and-white pattern", "black|-|and|-|white|pattern")]     // infix hyphen between letters
    [InlineData("3-d shapes", "3|-|d|shapes")]                                 // hyphen after a digit, before a letter
    [InlineData("10-20 things", "10|-|20|things")]                             // hyphen between digits
    [InlineData("left--right", "left|--|right")]                               // double hyphen is one infix
    [InlineData("don't", "do|n't")]                                            // contractions as spaCy splits them
    [InlineData("can't won't cannot", "ca|n't|wo|n't|can|not")]
    [InlineData("it's a dog's head", "it|'s|a|dog|'s|head")]                   // 's is a suffix
    [InlineData("its well were", "its|well|were")]                            // real words excluded from the contraction rules
    [InlineData("hes id", "he|s|i|d")]                                         // ... but these forms are split
    [InlineData("gonna", "gon|na")]
    [InlineData("(blue) [green]", "(|blue|)|[|green|]")]                       // brackets are prefixes and suffixes
    [InlineData("\"quoted\"", "\"|quoted|\"")]
    [InlineData("text/letters", "text|/|letters")]                             // infix slash
    [InlineData("dogs:cats", "dogs|:|cats")]                                   // infix colon
    [InlineData("red,white", "red|,|white")]                                   // infix comma between letters
    [InlineData("dots...", "dots|...")]                                        // ellipsis suffix
    [InlineData("Things!?", "things|!|?")]
    [InlineData("e.g. cars", "e.g.|cars")]                                     // abbreviation exception
    [InlineData("U.S. flag", "u.s.|flag")]                                     // no rule splits it: one token
    [InlineData("a. A cat.", "a.|a|cat|.")]                                    // "a." is an exception, "cat." is not
    [InlineData("5km 20%", "5|km|20|%")]                                       // units after digits
    [InlineData("o'clock", "o'clock")]
    [InlineData("www.example.com", "www.example.com")]                         // URLs stay whole
    [InlineData("cats.dogs", "cats.dogs")]                                     // "." between lower-case letters: kept (URL-like)
    [InlineData("Cats.Dogs", "cats|.|dogs")]                                   // "." before an upper-case letter is an infix
    [InlineData("non-human", "non|-|human")]
    [InlineData("  multiple   spaces\tand\ttabs \n", "multiple|spaces|and|tabs")] // whitespace dropped
    [InlineData("", "")]
    public void Splits_like_spacy(string text, string expected)
    {
        var tokens = DescriptionTokenizer.Tokenize(text);
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), tokens);
    }

    [Fact]
    public void Lowercases_after_splitting()
    {
        Assert.Equal(["the", "usa", "."], DescriptionTokenizer.Tokenize("The USA."));
    }
}
