using Milan.Language;

namespace Milan.Tests.Language;

public class VocabularyTests
{
    [Fact]
    public void Words_are_in_frequency_order_with_ties_in_first_occurrence_order_then_specials()
    {
        // counts: dogs 3, red 2, and 2, cats 1, blue 1 — first seen: red, dogs, and, cats, blue
        var vocabulary = Vocabulary.Build(["red dogs", "dogs and cats", "red and blue dogs"]);
        Assert.Equal(["dogs", "red", "and", "cats", "blue"], vocabulary.Words);
        Assert.Equal(9, vocabulary.Count);
        Assert.Equal((5, 6, 7, 8), (vocabulary.Start, vocabulary.Stop, vocabulary.Pad, vocabulary.Unknown));
        Assert.Equal("<start>", vocabulary[5]);
        Assert.Equal("<unk>", vocabulary[8]);
        Assert.Equal(vocabulary.Unknown, vocabulary.IdOf("zebras"));
        Assert.Equal(vocabulary.Stop, vocabulary.IdOf("<stop>"));
        Assert.Equal(1, vocabulary.IdOf("red"));
    }

    [Fact]
    public void Punctuation_and_stop_words_are_words()
    {
        var vocabulary = Vocabulary.Build(["the dog, the cat."]);
        Assert.Equal(["the", "dog", ",", "cat", "."], vocabulary.Words);
    }

    [Fact]
    public void FromWords_rejects_duplicates_specials_and_blanks()
    {
        Assert.Contains("listed twice", Assert.Throws<MilanInputException>(() => Vocabulary.FromWords(["a", "b", "a"])).Message);
        Assert.Contains("special token", Assert.Throws<MilanInputException>(() => Vocabulary.FromWords(["a", "<pad>"])).Message);
        Assert.Contains("empty", Assert.Throws<MilanInputException>(() => Vocabulary.FromWords(["a", " "])).Message);
    }
}
