using Milan.Captioning;
using Milan.Evaluation;
using Milan.Experiments;
using Milan.Language;
using Milan.Tests.Captioning;

namespace Milan.Tests.Experiments;

public class PmiDiagnosisSummaryTests
{
    [Fact]
    public void RowFiguresWorkedByHand()
    {
        PmiDiagnosis.Chosen[] chosen =
        [
            new("Red circles.", Ended: true, CaptionScore: -1.0, LmScore: -4.0, StopSurprise: 0.5),
            new("red circles", Ended: true, CaptionScore: -2.0, LmScore: -5.0, StopSurprise: 1.5),
            new("The", Ended: true, CaptionScore: -3.0, LmScore: -9.0, StopSurprise: 7.0),
            new("blue sky over the green grass and", Ended: false, CaptionScore: -6.0, LmScore: -20.0, StopSurprise: double.NaN),
        ];
        double[] f = [0.8, 0.6, 0.2, 0.4];
        string[] greedy = ["red circles", "blue sky", "the", "green grass"];
        var row = PmiDiagnosis.Summarize("lambda", "PMI rerank", 5, 0.2, chosen, f, greedy, resamples: 100);

        Assert.Equal(0.5, row.BertScoreF.Value, 12);                 // (0.8 + 0.6 + 0.2 + 0.4) / 4
        Assert.Equal((2 + 2 + 1 + 7) / 4.0, row.MeanWords, 12);
        Assert.Equal(3 / 4.0, row.DistinctShare, 12);                // "red circles" twice after normalising
        Assert.Equal("red circles", row.TopDescription);
        Assert.Equal(0.5, row.TopShare, 12);
        Assert.Equal(-3.0, row.MeanCaptionScore, 12);
        Assert.Equal(-9.5, row.MeanLmScore, 12);
        Assert.Equal(3.0, row.MeanStopSurprise, 12);                 // (0.5 + 1.5 + 7) / 3, the unfinished one left out
        Assert.Equal(0.25, row.Unfinished, 12);
        Assert.Equal(2, row.ChangedFromGreedy);                      // units 2 and 4 ("the" equals "the")
        Assert.Equal(5, row.BeamSize);
        Assert.Equal(0.2, row.Lambda);
    }

    [Fact]
    public void MismatchedCountsAreRefused() =>
        Assert.Throws<MilanInputException>(() => PmiDiagnosis.Summarize("decoder", "greedy", 1, null,
            [new("a", true, 0, 0, 0)], [0.1, 0.2], ["a"]));
}

public class PmiDiagnosisRunTests(TinyMilan tiny) : IClassFixture<TinyMilan>
{
    private static readonly DescriptionMetrics Metrics = new();

    [Fact]
    public void ConditionsAgreeWithDecodingTheModelDirectly()
    {
        const int beam = 6;
        var diagnosis = PmiDiagnosis.Run(tiny.Model, tiny.Features, tiny.Annotations, Metrics, beam, lambda: 0.2,
            lambdas: [0, 0.2, 1.0], beamSizes: [1, 3, beam], resamples: 50);
        var references = tiny.Annotations.Select(a => (IReadOnlyList<string>)a.Select(MetricText.Normalize).ToList()).ToList();
        var idf = references.SelectMany(r => r).ToList();
        double MeanF(IEnumerable<string> descriptions) =>
            Metrics.BertScore.Score(descriptions.Select(MetricText.Normalize).ToList(), references, idf).PerCandidate.Average(p => p.F);

        var greedy = tiny.Model.Describe(tiny.Features, DecodingOptions.Greedy);
        var pmi = tiny.Model.Describe(tiny.Features, DecodingOptions.Default with { BeamSize = beam });
        var top = tiny.Model.Describe(tiny.Features, new DecodingOptions { Strategy = DecodingStrategy.Beam, BeamSize = beam });

        var greedyRow = diagnosis.Row(PmiDiagnosis.DecoderGroup, PmiDiagnosis.GreedyCondition);
        var pmiRow = diagnosis.Row(PmiDiagnosis.DecoderGroup, PmiDiagnosis.PmiCondition);
        var beamRow = diagnosis.Row(PmiDiagnosis.DecoderGroup, PmiDiagnosis.BeamCondition);
        var oracle = diagnosis.Row(PmiDiagnosis.DecoderGroup, PmiDiagnosis.OracleCondition);
        Assert.Equal(MeanF(greedy.Select(d => d.Description)), greedyRow.BertScoreF.Value, 9);
        Assert.Equal(MeanF(pmi.Select(d => d.Description)), pmiRow.BertScoreF.Value, 9);
        Assert.Equal(MeanF(top.Select(d => d.Description)), beamRow.BertScoreF.Value, 9);
        Assert.Equal(0, greedyRow.ChangedFromGreedy);
        Assert.Equal(pmi.Zip(greedy, (p, g) => MetricText.Normalize(p.Description) != MetricText.Normalize(g.Description)).Count(x => x), pmiRow.ChangedFromGreedy);

        // The rows' log p(d) is recomputed from the tokens; the decoder's own rerank scores are the same quantity.
        Assert.Equal(pmi.Average(d => d.LmScore!.Value), pmiRow.MeanLmScore, 4);
        Assert.Equal(pmi.Average(d => d.CaptionScore), pmiRow.MeanCaptionScore, 9);
        Assert.Equal(greedy.Average(d => d.CaptionScore), greedyRow.MeanCaptionScore, 9);

        // The sweeps contain the decoder rows, and the oracle is at least as good as any candidate choice.
        Assert.Equal(pmiRow.BertScoreF.Value, diagnosis.Row(PmiDiagnosis.LambdaGroup, PmiDiagnosis.PmiCondition, lambda: 0.2).BertScoreF.Value, 12);
        Assert.Equal(beamRow.BertScoreF.Value, diagnosis.Row(PmiDiagnosis.LambdaGroup, PmiDiagnosis.PmiCondition, lambda: 0).BertScoreF.Value, 12);
        Assert.Equal(pmiRow.BertScoreF.Value, diagnosis.Row(PmiDiagnosis.BeamGroup, PmiDiagnosis.PmiCondition, beamSize: beam).BertScoreF.Value, 12);
        // (every row at the full width chooses from the same beam; greedy is not a beam candidate)
        foreach (var row in diagnosis.Rows.Where(r => r.BeamSize == beam))
            Assert.True(oracle.BertScoreF.Value >= row.BertScoreF.Value - 1e-12, $"{row.Group} {row.Condition} {row.Lambda}");
        Assert.Equal(3, diagnosis.Rows.Count(r => r.Group == PmiDiagnosis.LambdaGroup));
        Assert.Equal(3, diagnosis.Rows.Count(r => r.Group == PmiDiagnosis.BeamGroup));
        Assert.Single(diagnosis.Rows, r => r.Group == PmiDiagnosis.LmTermGroup);
        Assert.Equal(pmiRow.BertScoreF.Value - greedyRow.BertScoreF.Value, diagnosis.PmiMinusGreedy.Value, 9);
        Assert.All(diagnosis.Rows.Where(r => r.Unfinished < 1), r => Assert.True(r.MeanStopSurprise >= 0));
    }
}
