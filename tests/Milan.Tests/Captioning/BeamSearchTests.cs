using Milan.Captioning;

namespace Milan.Tests.Captioning;

public class BeamSearchTests
{
    private const int Classes = 4;   // tokens 0, 1, 2 and <stop> = 3
    private const int Stop = 3;

    /// <summary>Every sequence of at most <paramref name="maxSteps"/> tokens: ended by &lt;stop&gt;, or full length.</summary>
    private static List<(int[] Tokens, double Score)> Enumerate(TableScorer scorer, int neuron, int maxSteps)
    {
        var all = new List<(int[], double)>();
        void Walk(List<int> prefix, double score)
        {
            var logProbs = scorer.LogProbs(neuron, prefix);
            for (int token = 0; token < Classes; token++)
            {
                var next = new List<int>(prefix) { token };
                double total = score + (float)logProbs[token];
                if (token == Stop || next.Count == maxSteps) all.Add((next.ToArray(), total));
                else Walk(next, total);
            }
        }
        Walk([], 0);
        return all;
    }

    private static string Key(int[] tokens, int stop)
    {
        int end = Array.IndexOf(tokens, stop);
        return string.Join(",", end < 0 ? tokens : tokens[..(end + 1)]);
    }

    [Fact]
    public void A_beam_as_wide_as_all_sequences_returns_exactly_the_brute_force_sequences_and_scores()
    {
        var scorer = new TableScorer(Classes, [11]);
        var expected = Enumerate(scorer, 0, maxSteps: 3).OrderByDescending(s => s.Score).ToList();
        Assert.Equal(40, expected.Count);   // 1 + 3 + 9 ended, 27 full-length

        var result = BeamSearch.Search(scorer, beamSize: 40, maxSteps: 3, stopId: Stop);

        var found = result.Tokens[0].Zip(result.Scores[0]).Select(p => (Key(p.First, Stop), p.Second)).ToList();
        Assert.Equal(expected.Select(e => Key(e.Tokens, Stop)), found.Select(f => f.Item1));
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Score, found[i].Item2, 5);
    }

    [Fact]
    public void A_narrow_beam_keeps_the_top_prefixes_at_each_step_as_worked_by_hand()
    {
        // Beam 2, 2 steps, by hand from the table: step 1 keeps the two best first tokens; step 2 keeps
        // the two best of their expansions (an ended beam can only add <stop> at 0).
        var scorer = new TableScorer(Classes, [5]);
        var first = scorer.LogProbs(0, []);
        var firstTwo = Enumerable.Range(0, Classes).OrderByDescending(t => first[t]).Take(2).ToArray();
        var expansions = new List<(string Key, double Score)>();
        foreach (int a in firstTwo)
        {
            if (a == Stop)
            {
                expansions.Add(($"{a}", (float)first[a]));
                continue;
            }
            var second = scorer.LogProbs(0, [a]);
            for (int b = 0; b < Classes; b++) expansions.Add(($"{a},{b}", (float)first[a] + (float)second[b]));
        }
        var expected = expansions.OrderByDescending(e => e.Score).Take(2).ToList();

        var result = BeamSearch.Search(scorer, beamSize: 2, maxSteps: 2, stopId: Stop);

        Assert.Equal(expected.Select(e => e.Key), result.Tokens[0].Select(t => Key(t, Stop)));
        Assert.Equal(expected[0].Score, result.Scores[0][0], 5);
        Assert.Equal(expected[1].Score, result.Scores[0][1], 5);
    }

    [Fact]
    public void Ended_beams_keep_their_score_and_the_search_stops_when_all_have_ended()
    {
        var scorer = new TableScorer(Classes, [3]);
        var result = BeamSearch.Search(scorer, beamSize: 40, maxSteps: 15, stopId: Stop);
        var enumerated = Enumerate(scorer, 0, maxSteps: 3).ToDictionary(e => Key(e.Tokens, Stop), e => e.Score);
        // Sequences that ended within 3 steps score the same as in the exhaustive enumeration.
        foreach (var (tokens, score) in result.Tokens[0].Zip(result.Scores[0]))
        {
            string key = Key(tokens, Stop);
            if (result.Length(tokens) <= 3 && tokens[result.Length(tokens) - 1] == Stop) Assert.Equal(enumerated[key], score, 5);
        }
        Assert.True(result.Steps < 15 || result.Tokens[0].Any(t => !t.Contains(Stop)));
        Assert.All(result.Tokens[0], t => Assert.Equal(result.Steps, t.Length));
    }

    [Fact]
    public void Searching_neurons_together_gives_what_searching_each_alone_gives()
    {
        int[] seeds = [1, 2, 3];
        var together = BeamSearch.Search(new TableScorer(Classes, seeds), beamSize: 6, maxSteps: 5, stopId: Stop);
        for (int n = 0; n < seeds.Length; n++)
        {
            var alone = BeamSearch.Search(new TableScorer(Classes, [seeds[n]]), beamSize: 6, maxSteps: 5, stopId: Stop);
            Assert.Equal(alone.Tokens[0].Select(t => Key(t, Stop)), together.Tokens[n].Select(t => Key(t, Stop)));
            Assert.Equal(alone.Scores[0], together.Scores[n]);
            Assert.Equal(alone.NeuronSteps(0), together.NeuronSteps(n));
        }
    }
}
