using Milan.Language;

namespace Milan.Tests.Language;

public class IndexerTests
{
    private static readonly Vocabulary Words = Vocabulary.FromWords(["dogs", "red", "and"]); // start 3, stop 4, pad 5, unk 6

    [Fact]
    public void Adds_start_and_stop_and_pads_to_the_longest_plus_two()
    {
        var ids = new Indexer(Words).Index(["red dogs", "dogs and zebras", "and"]);
        long[,] expected =
        {
            { 3, 1, 0, 4, 5 },
            { 3, 0, 2, 6, 4 },
            { 3, 2, 4, 5, 5 },
        };
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void Language_model_inputs_and_targets_have_the_same_length()
    {
        var indexer = new Indexer(Words);
        var inputs = indexer.Index(["red dogs", "and"], start: true, stop: false);
        var targets = indexer.Index(["red dogs", "and"], start: false, stop: true);
        Assert.Equal(new long[,] { { 3, 1, 0 }, { 3, 2, 5 } }, inputs);
        Assert.Equal(new long[,] { { 1, 0, 4 }, { 2, 4, 5 } }, targets);
    }
}
