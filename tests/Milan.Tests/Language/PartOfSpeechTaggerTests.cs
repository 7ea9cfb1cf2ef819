using Milan.Language;
using static Milan.Language.PartOfSpeech;

namespace Milan.Tests.Language;

public class PartOfSpeechTaggerTests
{
    private static readonly PartOfSpeechTagger tagger = new();

    /// <summary>Descriptions like those in MILANNOTATIONS, tagged by hand.</summary>
    public static TheoryData<string, PartOfSpeech[]> Descriptions => new()
    {
        { "red and white striped objects", [Adjective, Conjunction, Adjective, Adjective, Noun] },
        { "the top of a car next to a tree", [Determiner, Noun, Preposition, Determiner, Noun, Adverb, Preposition, Determiner, Noun] },
        { "dog faces and cupcakes", [Noun, Noun, Conjunction, Noun] },
        { "dogs running on grass", [Noun, Verb, Preposition, Noun] },
        { "a person holding a cup", [Determiner, Noun, Verb, Determiner, Noun] },
        { "blue sky above buildings", [Adjective, Noun, Preposition, Noun] },
        { "vertical lines", [Adjective, Noun] },
        { "text in the top left corner", [Noun, Preposition, Determiner, Adjective, Adjective, Noun] },
        { "the letters on a sign", [Determiner, Noun, Preposition, Determiner, Noun] },
        { "very bright lights", [Adverb, Adjective, Noun] },
        { "wheels of cars and trucks", [Noun, Preposition, Noun, Conjunction, Noun] },
        { "people walking in a park", [Noun, Verb, Preposition, Determiner, Noun] },
        { "cars parked near buildings", [Noun, Verb, Preposition, Noun] },
        { "dog's face", [Noun, Particle, Noun] },
        { "two dogs, one cat.", [Number, Noun, Punctuation, Number, Noun, Punctuation] },
        { "animal heads", [Noun, Noun] },
        { "circular shapes with holes", [Adjective, Noun, Preposition, Noun] },
        { "shiny metal surfaces", [Adjective, Noun, Noun] },
        { "human faces", [Adjective, Noun] },
        { "gold coins", [Noun, Noun] },
        { "light blue water", [Adjective, Adjective, Noun] },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void Tags_hand_written_descriptions(string description, PartOfSpeech[] expected)
    {
        Assert.Equal(expected, tagger.Tag(description).Select(t => t.Tag).ToArray());
    }

    [Fact]
    public void Counts_adjectives_nouns_verbs_prepositions_and_tokens()
    {
        Assert.Equal(new PartOfSpeechCounts(Adjectives: 3, Nouns: 1, Verbs: 0, Prepositions: 0, Tokens: 5),
            tagger.Count("red and white striped objects"));
        Assert.Equal(new PartOfSpeechCounts(0, 3, 0, 2, 9), tagger.Count("the top of a car next to a tree"));
        Assert.Equal(new PartOfSpeechCounts(0, 2, 1, 1, 5), tagger.Count("Dogs running on grass."));
    }

    [Fact]
    public void Words_in_no_lexicon_are_nouns()
    {
        Assert.Equal(Noun, tagger.Tag("zxqv").Single().Tag);
    }
}
