using Milan.Captioning;

namespace Milan.Tests.Captioning;

public class PmiRerankerTests
{
    [Fact]
    public void Picks_the_candidate_with_the_best_weighted_pmi_worked_by_hand()
    {
        double[] caption = [-1.0, -1.5, -2.0];
        double[] lm = [-6.0, -10.0, -9.0];
        // λ = 0.2: -1 + 1.2 = 0.2; -1.5 + 2.0 = 0.5; -2 + 1.8 = -0.2 → the second candidate.
        Assert.Equal(1, PmiReranker.Choose(caption, lm, 0.2));
        Assert.Equal(0.5, PmiReranker.Score(-1.5, -10, 0.2), 12);
        // λ = 0 is plain beam search: the first (best-scoring) candidate.
        Assert.Equal(0, PmiReranker.Choose(caption, lm, 0));
        // λ = 1 (full PMI): -1 + 6 = 5; -1.5 + 10 = 8.5; -2 + 9 = 7 → the second.
        Assert.Equal(1, PmiReranker.Choose(caption, lm, 1));
    }

    [Fact]
    public void Ties_go_to_the_higher_ranked_candidate_and_dead_candidates_never_win()
    {
        Assert.Equal(0, PmiReranker.Choose([-1.0, -1.0], [-2.0, -2.0], 0.2));
        Assert.Equal(1, PmiReranker.Choose([double.NegativeInfinity, -50.0], [-1.0, -1.0], 0.2));
    }
}
