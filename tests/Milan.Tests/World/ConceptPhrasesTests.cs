using Milan.World;

namespace Milan.Tests.World;

public class ConceptPhrasesTests
{
    [Fact]
    public void The_dominant_name_is_used_three_times_in_four_and_the_others_by_zipf()
    {
        var random = new WorldRandom(7);
        var words = ConceptPhrases.Synonyms("text");
        const int draws = 40000;
        var counts = words.ToDictionary(w => w, _ => 0);
        for (int i = 0; i < draws; i++) counts[ConceptPhrases.Noun("text", random)]++;

        Assert.InRange(counts[words[0]] / (double)draws, 0.74, 0.76);
        // The others: the r-th alternative (r = 1..n-1) with weight 1/r over the remaining quarter.
        double harmonic = Enumerable.Range(1, words.Count - 1).Sum(r => 1.0 / r);
        for (int r = 1; r < words.Count; r++)
        {
            double expected = 0.25 / r / harmonic;
            Assert.InRange(counts[words[r]] / (double)draws, expected - 0.006, expected + 0.006);
        }
        Assert.Equal(words[0], ConceptPhrases.Noun("text", null));
    }
}
