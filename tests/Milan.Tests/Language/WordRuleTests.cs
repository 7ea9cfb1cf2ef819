using Milan.Language;

namespace Milan.Tests.Language;

public class WordRuleTests
{
    [Theory]
    [InlineData("dog faces", true)]
    [InlineData("a human face", true)]
    [InlineData("heads of animals", true)]
    [InlineData("eyes and noses", true)]
    [InlineData("an open mouth", true)]
    [InlineData("EYE", true)]
    [InlineData("face-like shapes", true)]
    [InlineData("a cat's head.", true)]
    [InlineData("facial features", false)]
    [InlineData("forehead", false)]
    [InlineData("headlights of cars", false)]
    [InlineData("water surface", false)]
    [InlineData("typefaces", false)]
    [InlineData("eyed", false)]
    [InlineData("mouths", true)]
    public void Face_words_match_whole_words_in_singular_and_plural(string description, bool flagged)
    {
        Assert.Equal(flagged, WordRule.FaceWords.Matches(description));
    }

    [Theory]
    [InlineData("text", true, true)]
    [InlineData("words on signs", true, true)]
    [InlineData("the letter a", true, true)]
    [InlineData("Letters.", true, true)]
    [InlineData("texts", true, true)]
    [InlineData("texture", false, true)]
    [InlineData("textured fabric", false, true)]
    [InlineData("lettering", false, true)]
    [InlineData("swords", false, true)]
    [InlineData("wording", false, true)]
    [InlineData("striped patterns", false, false)]
    public void Text_rules_whole_word_and_the_reference_substrings(string description, bool wholeWord, bool substring)
    {
        Assert.Equal(wholeWord, WordRule.TextWords.Matches(description));
        Assert.Equal(substring, WordRule.TextSubstringsAsReference.Matches(description));
    }

    [Fact]
    public void Reports_what_matched()
    {
        Assert.Equal(["eyes", "noses", "eyes"], WordRule.FaceWords.Matched("eyes and noses, eyes"));
        Assert.Equal(["text"], WordRule.TextSubstringsAsReference.Matched("textured"));
        Assert.Equal(["mouth"], WordRule.WholeWords("custom", "Mouth").Matched("a mouth"));
        Assert.Throws<ArgumentException>(() => WordRule.WholeWords("bad", "two words"));
    }
}
