using Milan.Experiments;
using Milan.Language;

namespace Milan.Tests.Experiments;

public class EditingTests
{
    private static readonly EditingOptions Options = new() { Normalization = KnownModel.Bytes, RandomTrials = 3 };

    [Fact]
    public void Accuracy_of_the_known_model_with_and_without_units_is_as_worked_out_by_hand()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        using var test = KnownModel.AdversarialTest();
        Assert.Equal(new Accuracy(4, 4), ClassifierAccuracy.Measure(model, val, normalization: KnownModel.Bytes));
        Assert.Equal(new Accuracy(2, 4), ClassifierAccuracy.Measure(model, test, normalization: KnownModel.Bytes));
        Assert.Equal(new Accuracy(2, 4), ClassifierAccuracy.MeasureAblated(model, [new("units", 0)], val, normalization: KnownModel.Bytes));
        Assert.Equal(new Accuracy(3, 4), ClassifierAccuracy.MeasureAblated(model, [new("units", 1)], val, normalization: KnownModel.Bytes));
        Assert.Equal(new Accuracy(4, 4), ClassifierAccuracy.MeasureAblated(model, [new("units", 2)], test, normalization: KnownModel.Bytes));
        Assert.Equal(new Accuracy(2, 4), ClassifierAccuracy.MeasureAblated(model, [new("units", 1), new("units", 2)], test, normalization: KnownModel.Bytes));
        // The hooks are gone afterwards: the model is back to its own accuracy.
        Assert.Equal(new Accuracy(2, 4), ClassifierAccuracy.Measure(model, test, normalization: KnownModel.Bytes));
    }

    [Fact]
    public void Removing_the_text_unit_gains_fifty_points_at_one_unit()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        using var test = KnownModel.AdversarialTest();
        var result = SpuriousTextEditing.Run(model, KnownModel.Descriptions, val, test, options: Options);

        Assert.Equal([0.5, 0.75, 1.0], result.Units.Select(u => u.ValidationWithout.Value));
        Assert.Equal([false, false, true], result.Units.Select(u => u.Flags[WordRule.TextWords.Name]));
        Assert.Equal([false, true, true], result.Units.Select(u => u.Flags[WordRule.TextSubstringsAsReference.Name]));

        var sortSpurious = result.Curve(SpuriousTextEditingResult.SortSpurious);
        Assert.Equal([(0, 1.0, 0.5), (1, 1.0, 1.0)], sortSpurious);
        var best = result.Summary.Single(s => s.Condition == SpuriousTextEditingResult.SortSpurious);
        Assert.Equal((1, 0.5, 1.0), (best.BestAblated, best.Gain, best.ValidationAtBest));
        // Sorting all units by validation accuracy without them puts u2 (1.0) first too.
        Assert.Equal(sortSpurious, result.Curve(SpuriousTextEditingResult.SortAll));
        // Random: one unit per trial (as many as were flagged), 0 units = the model itself.
        var random = result.Points.Where(p => p.Condition == SpuriousTextEditingResult.Random).ToList();
        Assert.Equal(3, random.Count(p => p.Ablated == 0));
        Assert.Equal(3, random.Count(p => p.Ablated == 1));
        Assert.All(random.Where(p => p.Ablated == 0), p => Assert.Equal((4, 2), (p.Validation.Correct, p.Test.Correct)));
        Assert.Equal(new Accuracy(2, 4), ClassifierAccuracy.Measure(model, test, normalization: KnownModel.Bytes));
    }

    [Fact]
    public void The_substring_rule_also_takes_the_texture_unit_and_loses_the_gain_at_two_units()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        using var test = KnownModel.AdversarialTest();
        var options = Options with { Rule = WordRule.TextSubstringsAsReference, ComparedRules = [WordRule.TextWords] };
        var result = SpuriousTextEditing.Run(model, KnownModel.Descriptions, val, test, options: options);
        // Candidates u1 ("textures", 0.75) and u2 (1.0), highest validation accuracy first: u2, then u1;
        // without both, class 1 loses both images on val ((0.2, 0)) and the test is back to 50 %.
        Assert.Equal([(0, 1.0, 0.5), (1, 1.0, 1.0), (2, 0.5, 0.5)], result.Curve(SpuriousTextEditingResult.SortSpurious));
        Assert.Equal(2, result.Summary[0].Units);
    }

    [Fact]
    public void The_ground_truth_text_unit_is_ablated_as_its_own_condition_and_scores_the_rules()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        using var test = KnownModel.AdversarialTest();
        var textIou = new Dictionary<ModelUnit, double> { [new("units", 0)] = 0.0, [new("units", 1)] = 0.05, [new("units", 2)] = 0.5 };
        var options = Options with { Rule = WordRule.TextSubstringsAsReference, ComparedRules = [WordRule.TextWords] };

        var result = SpuriousTextEditing.Run(model, KnownModel.Descriptions, val, test, options: options, textIou: textIou);

        Assert.Equal([false, false, true], result.Units.Select(u => u.TruthFlagged));
        // Only u2 is a text unit: removing it alone lifts the adversarial test from 2/4 to 4/4.
        Assert.Equal([(0, 1.0, 0.5), (1, 1.0, 1.0)], result.Curve(SpuriousTextEditingResult.SortTruth));
        var truth = result.Summary.Single(s => s.Condition == SpuriousTextEditingResult.SortTruth);
        Assert.Equal((1, 1, 0.5), (truth.Units, truth.BestAblated, truth.Gain));
        // The substring rule flags u1 ("textures") and u2: precision 1/2, recall 1/1.
        Assert.Equal(new PrecisionRecall(2, 1, 1), result.Agreement);
        var report = result.Report();
        Assert.Equal((1, 1, 0.5, 1.0), (report.TruthUnits, report.CandidatesInTruth, report.Precision, report.Recall));
    }

    [Fact]
    public void Ablating_at_most_zero_units_reports_only_the_unablated_model()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        using var test = KnownModel.AdversarialTest();
        var result = SpuriousTextEditing.Run(model, KnownModel.Descriptions, val, test, options: Options with { MaxAblated = 0 });
        Assert.All(result.Points, p => Assert.Equal(0, p.Ablated));
        Assert.All(result.Summary, s => Assert.Equal(0.0, s.Gain));
    }
}
