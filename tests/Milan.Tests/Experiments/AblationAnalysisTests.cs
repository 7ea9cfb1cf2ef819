using Milan.Experiments;

namespace Milan.Tests.Experiments;

public class AblationAnalysisTests
{
    [Fact]
    public void Fractions_floor_the_share_of_units_as_the_reference()
    {
        // numpy: [int(f * n) for f in np.arange(0, 0.2, 0.02)]
        Assert.Equal([0, 20, 40, 61, 81, 102, 122, 143, 163, 184], AblationOrder.Fractions(1024).Select(f => f.Count));
        Assert.Equal([0, 2, 4, 6, 8, 10, 12, 14, 16, 18], AblationOrder.Fractions(100).Select(f => f.Count));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], AblationOrder.Fractions(50).Select(f => f.Count));
        Assert.Equal([0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18], AblationOrder.Fractions(50).Select(f => f.Fraction));
    }

    [Fact]
    public void Orders_sort_by_score_highest_first_with_ties_in_unit_order_and_random_orders_are_seeded_permutations()
    {
        Assert.Equal([1, 3, 0, 2, 4], AblationOrder.ByScoreDescending([1, 3, 0, 3, -1]));
        var first = AblationOrder.Random(100, 7);
        Assert.Equal(Enumerable.Range(0, 100), first.Order());
        Assert.Equal(first, AblationOrder.Random(100, 7));
        Assert.NotEqual(first, AblationOrder.Random(100, 8));
    }

    [Fact]
    public void Ablating_by_a_criterion_follows_its_order_and_zero_units_is_the_unablated_accuracy()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        // Length: "words and letters" (17) > "green textures" (14) > "red things" (10): u2, u1, u0.
        var options = new AblationOptions
        {
            FractionStep = 0.34, MaxFraction = 1, RandomTrials = 2, Normalization = KnownModel.Bytes,
            Criteria = [new DescriptionCriterion("characters", d => d.Length)],
        };
        var result = AblationAnalysis.Run(model, KnownModel.Descriptions, val, options);
        Assert.Equal(new Accuracy(4, 4), result.Unablated);
        // 0 units: 100 %; u2: 100 %; u2 and u1: class 1 without blue and class 1 with blue lose (0.2, 0): 50 %.
        Assert.Equal([(0.0, 1.0), (0.34, 1.0), (0.68, 0.5)], result.Curve("characters"));
        Assert.Equal([0, 1, 2], result.Points.Where(p => p.Criterion == "characters").Select(p => p.Ablated));
        Assert.All(result.Points.Where(p => p.Ablated == 0), p => Assert.Equal(result.Unablated, p.Accuracy));
        Assert.Equal(2, result.Points.Count(p => p.Criterion == AblationAnalysisResult.RandomCriterion && p.Ablated == 2));
        // Top units at the largest fraction (2 of 3): u2 and u1.
        var count = result.LayerCounts.Single();
        Assert.Equal(("units", 3, 3, 2), (count.Layer, count.Units, count.Nonzero, count.InTop));
        Assert.Equal(new Accuracy(4, 4), ClassifierAccuracy.Measure(model, val, normalization: KnownModel.Bytes));
    }

    [Fact]
    public void Results_are_written_as_csv_and_figures()
    {
        using var model = KnownModel.Create();
        using var val = KnownModel.Validation();
        var options = new AblationOptions { FractionStep = 0.34, MaxFraction = 1, RandomTrials = 1, Normalization = KnownModel.Bytes };
        var result = AblationAnalysis.Run(model, KnownModel.Descriptions, val, options);
        using var folder = new Support.TempFolder();
        string outFolder = Path.Combine(folder.Path, "ablation");
        ExperimentFolder.Replace(outFolder, result.Write);
        var scores = File.ReadAllLines(Path.Combine(outFolder, "scores.csv"));
        Assert.Equal("layer,unit,description,adjectives,nouns,verbs,prepositions,description-length,max-word-difference", scores[0]);
        Assert.StartsWith("units,2,words and letters,0,2,0,0,3,", scores[3]);
        Assert.Equal(1 + 7 * 3, File.ReadAllLines(Path.Combine(outFolder, "curves.csv")).Length);
        Assert.Contains("plotly", File.ReadAllText(Path.Combine(outFolder, "accuracy.html")), StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(Path.Combine(outFolder, "layers.html")));
    }
}
