using Milan.Experiments;
using Milan.Language;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>Each application end to end on the tiny stand-in corpus, with descriptions from a CSV (no MILAN).</summary>
public class ApplicationRunTests : IClassFixture<TinyCorpus>
{
    private readonly TinyCorpus _corpus;

    public ApplicationRunTests(TinyCorpus corpus) => _corpus = corpus;

    private UnitDescriptions Describer() => new(Profile.Tiny, CPU);

    [Fact]
    public void Ablation_writes_curves_and_layer_counts_and_zero_units_is_the_model_itself()
    {
        string outFolder = Path.Combine(_corpus.Root, "results", "ablation");
        var setup = new AblationSetup
        {
            ModelWeights = _corpus.Weights, Exemplars = _corpus.Exemplars, HeldOut = Path.Combine(_corpus.World("normal"), "test"),
            Descriptions = _corpus.DescriptionsCsv, Options = new AblationOptions { RandomTrials = 2 }, OutFolder = outFolder,
        };
        using var describer = Describer();
        var result = ApplicationRuns.Ablation(setup, describer, CPU);

        Assert.Equal(30, result.Units.Count);
        Assert.Equal(100, result.Unablated.Total);
        // Fractions of 30 units: 0, 0, 1, 1, 2, 3, 3, 4, 4, 5 (⌊f·30⌋).
        Assert.Equal([0, 0, 1, 1, 2, 3, 3, 4, 4, 5], result.Points.Where(p => p.Criterion == "nouns").Select(p => p.Ablated));
        Assert.All(result.Points.Where(p => p.Ablated == 0), p => Assert.Equal(result.Unablated, p.Accuracy));
        Assert.Equal(6 * 5, result.LayerCounts.Count);   // 6 criteria x 5 layers
        foreach (var file in new[] { "descriptions.csv", "scores.csv", "curves.csv", "layers.csv", "accuracy.html", "layers.html" })
            Assert.True(File.Exists(Path.Combine(outFolder, file)), file);

        // Hooks are removed: the reloaded model and the one after the run agree.
        using var model = Milan.Models.SubjectModel.Load(_corpus.Weights, device: CPU);
        using var test = LabelledImages.ReadNpyFolder(Path.Combine(_corpus.World("normal"), "test"));
        Assert.Equal(result.Unablated, ClassifierAccuracy.Measure(model, test));

        // A second run replaces the folder.
        File.WriteAllText(Path.Combine(outFolder, "stale.txt"), "from before");
        ApplicationRuns.Ablation(setup with { Options = new AblationOptions { RandomTrials = 1, MaxFraction = 0.02 } }, describer, CPU);
        Assert.False(File.Exists(Path.Combine(outFolder, "stale.txt")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(outFolder)!, ".partial-*"));
    }

    [Fact]
    public void Audit_counts_per_model_and_layer()
    {
        string outFolder = Path.Combine(_corpus.Root, "results", "audit");
        var setup = new AuditSetup
        {
            Models = [("normal", _corpus.Exemplars, _corpus.DescriptionsCsv), ("again", _corpus.Exemplars, _corpus.DescriptionsCsv)],
            ProbeSplit = Path.Combine(_corpus.World("normal"), "val"), OutFolder = outFolder,
        };
        using var describer = Describer();
        var result = ApplicationRuns.Audit(setup, describer);
        Assert.Equal(2 * 30, result.Units.Count);
        Assert.Equal(2 * 6, result.Counts.Count);   // 5 layers + all, per model
        var expectedWords = _corpus.Descriptions.Count(d => WordRule.FaceWords.Matches(d.Description));
        Assert.All(result.Counts.Where(c => c.Layer == FaceAuditResult.AllLayers), c => Assert.Equal(expectedWords, c.Agreement.Flagged));
        Assert.All(result.Units, u => Assert.InRange(u.FaceIou, 0, 1));
        foreach (var file in new[] { "units.csv", "counts.csv", "precision_recall.csv", "counts.html", "descriptions-normal.csv" })
            Assert.True(File.Exists(Path.Combine(outFolder, file)), file);
    }

    [Fact]
    public void Editing_reports_baselines_flags_and_curves()
    {
        string outFolder = Path.Combine(_corpus.Root, "results", "edit");
        // Candidates: every unit whose (simulated) description is not "nothing", so the run has some.
        var rule = WordRule.WholeWords("non-empty", _corpus.Descriptions.SelectMany(d => d.Description.Split(' ')).Where(w => w.All(char.IsLetter) && w != "nothing").Distinct().ToArray());
        var setup = new EditingSetup
        {
            ModelWeights = _corpus.Weights, CleanModelWeights = _corpus.Weights, Exemplars = _corpus.Exemplars,
            Validation = Path.Combine(_corpus.World("spurious-text"), "val"), AdversarialTest = Path.Combine(_corpus.World("spurious-text"), "test"),
            CleanValidation = Path.Combine(_corpus.World("normal"), "val"), CleanTest = Path.Combine(_corpus.World("normal"), "test"),
            Descriptions = _corpus.DescriptionsCsv,
            Options = new EditingOptions { Rule = rule, ComparedRules = [WordRule.TextWords, WordRule.TextSubstringsAsReference], MaxAblated = 3, RandomTrials = 2 },
            OutFolder = outFolder,
        };
        using var describer = Describer();
        var result = ApplicationRuns.Edit(setup, describer, CPU);
        Assert.Equal(5, result.Baselines.Count);
        Assert.Equal(["non-empty", WordRule.TextWords.Name, WordRule.TextSubstringsAsReference.Name], result.Rules);
        int candidates = result.Units.Count(u => u.Flags["non-empty"]);
        Assert.True(candidates >= 3, $"{candidates} candidates");
        Assert.Equal(4 * 4, result.Points.Count);   // sort-spurious, sort-all, 2 random; 0..3 units each
        var adversarial = result.Baselines.Single(b => b.Model == "spurious-text model" && b.Split == "adversarial test").Accuracy;
        Assert.All(result.Points.Where(p => p.Ablated == 0), p => Assert.Equal(adversarial, p.Test));
        Assert.All(result.Summary, s => Assert.True(s.Gain >= 0));
        foreach (var file in new[] { "baselines.csv", "units.csv", "curves.csv", "summary.csv", "flags.csv", "curves.html", "descriptions.csv" })
            Assert.True(File.Exists(Path.Combine(outFolder, file)), file);
    }
}
