using Milan.Captioning;

namespace Milan.Tests.Captioning;

public class FirstWordRequiredTests
{
    private const int Classes = 4;   // tokens 0, 1, 2 and <stop> = 3
    private const int Stop = 3;

    /// <summary>Every sequence of at most <paramref name="maxSteps"/> tokens that does not start with &lt;stop&gt;, by enumeration.</summary>
    private static List<(string Key, double Score)> NonEmptySequences(TableScorer scorer, int maxSteps)
    {
        var all = new List<(string, double)>();
        void Walk(List<int> prefix, double score)
        {
            var logProbs = scorer.LogProbs(0, prefix);
            for (int token = 0; token < Classes; token++)
            {
                if (prefix.Count == 0 && token == Stop) continue;
                var next = new List<int>(prefix) { token };
                double total = score + (float)logProbs[token];
                if (token == Stop || next.Count == maxSteps) all.Add((string.Join(",", next), total));
                else Walk(next, total);
            }
        }
        Walk([], 0);
        return all.OrderByDescending(s => s.Item2).ToList();
    }

    /// <summary>A table seed whose most probable first token is &lt;stop&gt;: the empty description leads.</summary>
    private static int SeedWhereStopLeads() =>
        Enumerable.Range(0, 1000).First(seed =>
        {
            var first = new TableScorer(Classes, [seed]).LogProbs(0, []);
            return first.ToList().IndexOf(first.Max()) == Stop;
        });

    [Fact]
    public void A_full_beam_finds_exactly_the_sequences_that_do_not_start_with_stop()
    {
        int seed = SeedWhereStopLeads();
        var expected = NonEmptySequences(new TableScorer(Classes, [seed]), maxSteps: 3);
        Assert.Equal(39, expected.Count);   // 40 sequences of at most 3 tokens, less the empty one

        var result = BeamSearch.Search(new FirstWordRequired(new TableScorer(Classes, [seed]), Stop), beamSize: 40, maxSteps: 3, stopId: Stop);

        var found = result.Tokens[0].Zip(result.Scores[0]).Where(p => double.IsFinite(p.Second))
            .Select(p => (Key: string.Join(",", p.First.Take(result.Length(p.First))), Score: p.Second)).ToList();
        Assert.Equal(expected.Select(e => e.Key), found.Select(f => f.Key));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, found[i].Score, 5);
    }

    [Fact]
    public void Where_the_empty_description_leads_the_reference_search_returns_it_and_the_rule_the_best_word()
    {
        int seed = SeedWhereStopLeads();
        var first = new TableScorer(Classes, [seed]).LogProbs(0, []);
        int bestWord = Enumerable.Range(0, Classes).Where(t => t != Stop).OrderByDescending(t => first[t]).First();

        var reference = BeamSearch.Search(new TableScorer(Classes, [seed]), beamSize: 1, maxSteps: 3, stopId: Stop);
        var ruled = BeamSearch.Search(new FirstWordRequired(new TableScorer(Classes, [seed]), Stop), beamSize: 1, maxSteps: 3, stopId: Stop);

        Assert.Equal([Stop], reference.Tokens[0][0].Take(reference.Length(reference.Tokens[0][0])));
        Assert.Equal(bestWord, ruled.Tokens[0][0][0]);
    }
}
