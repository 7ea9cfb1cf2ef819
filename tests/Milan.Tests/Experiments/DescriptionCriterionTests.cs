using Milan.Experiments;
using Milan.Language;

namespace Milan.Tests.Experiments;

public class DescriptionCriterionTests
{
    private static readonly IReadOnlyDictionary<string, DescriptionCriterion> Criteria =
        DescriptionCriterion.Standard().ToDictionary(c => c.Name);

    // Tagged by hand (spaCy's universal tags): adjectives, nouns, verbs, prepositions, tokens.
    [Theory]
    [InlineData("dogs running on grass", 0, 2, 1, 1, 4)]
    [InlineData("red circles next to blue squares", 2, 2, 0, 1, 6)]   // "next" is an adverb, "to" the preposition
    [InlineData("text in the top left corner", 2, 2, 0, 1, 6)]
    [InlineData("faces of people, and cars.", 0, 3, 0, 1, 7)]         // punctuation counts in the length
    [InlineData("striped squares above a house", 1, 2, 0, 1, 5)]
    public void Counts_parts_of_speech_and_tokens(string description, int adjectives, int nouns, int verbs, int prepositions, int tokens)
    {
        Assert.Equal(adjectives, Criteria["adjectives"].Score(description));
        Assert.Equal(nouns, Criteria["nouns"].Score(description));
        Assert.Equal(verbs, Criteria["verbs"].Score(description));
        Assert.Equal(prepositions, Criteria["prepositions"].Score(description));
        Assert.Equal(tokens, Criteria["description-length"].Score(description));
    }

    [Fact]
    public void Max_word_difference_is_one_minus_the_similarity_of_the_least_similar_pair()
    {
        var similarity = new WordNetSimilarity();
        var criterion = Criteria["max-word-difference"];
        Assert.Equal(1 - similarity.Similarity("dog", "car"), criterion.Score("a dog and a car"), 12);
        Assert.True(criterion.Score("dogs and text") > criterion.Score("dogs and puppies"));
        Assert.Equal(0, criterion.Score("dogs"));
    }
}
