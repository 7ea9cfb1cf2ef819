using Milan.Captioning;
using Milan.Language;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

public class LanguageModelTests
{
    private static readonly Vocabulary Words = Vocabulary.FromWords(["red", "blue", "circles"]); // start 3, stop 4, pad 5

    private static LanguageModel RandomModel()
    {
        manual_seed(5);
        var lm = new LanguageModel(new LanguageModelShape(Words.Count, Words.Pad, 8, 16));
        lm.eval();
        return lm;
    }

    [Fact]
    public void The_sequence_score_is_the_sum_of_its_per_token_log_probabilities_taken_step_by_step()
    {
        using var lm = RandomModel();
        using var scope = NewDisposeScope();
        int[] sequence = [Words.Start, 0, 2, Words.Stop];
        var (h, c) = lm.ZeroState(1, CPU);
        double expected = 0;
        for (int t = 0; t < sequence.Length - 1; t++)
        {
            var (logProbs, nextH, nextC) = lm.Step(tensor(new long[] { sequence[t] }), h, c);
            expected += logProbs[0, sequence[t + 1]].item<float>();
            (h, c) = (nextH, nextC);
        }
        // Padded in a batch with a longer sequence: the padding must not change the score.
        var scores = PmiReranker.SequenceScores(lm, [sequence, [Words.Start, 1, 1, 0, 2, Words.Stop]], Words.Pad, CPU);
        Assert.Equal(expected, scores[0], 5);
    }

    [Fact]
    public void The_reference_quirk_adds_the_stop_after_stop_term_only_for_candidates_that_ended_early()
    {
        using var lm = RandomModel();
        using var scope = NewDisposeScope();
        // One neuron, beam 2, 3 steps: [red, <stop>, <stop>] ended early; [blue, circles, <stop>] did not.
        int stop = Words.Stop;
        var beams = BeamResult.Reconstruct(
            [[0, 1], [stop, 2], [stop, stop]], [[0, 1], [0, 1]], [-1.0, -2.0], batch: 1, beam: 2, stopId: stop);
        var corrected = PmiReranker.LanguageModelScores(lm, Words, beams, LmScoring.Corrected, CPU)[0];
        var quirk = PmiReranker.LanguageModelScores(lm, Words, beams, LmScoring.ReferenceQuirk, CPU)[0];

        var logProbs = lm.LogProbs(tensor(new long[] { Words.Start, 0, stop, stop }).unsqueeze(0))[0];
        double redStop = logProbs[0, 0].item<float>() + logProbs[1, stop].item<float>();
        double stopAfterStop = logProbs[2, stop].item<float>();
        Assert.Equal(redStop, corrected[0], 5);
        Assert.Equal(redStop + stopAfterStop, quirk[0], 5);
        Assert.Equal(corrected[1], quirk[1], 9);
    }
}
