using System.Text.Json;
using Milan.Corpus;
using Milan.Experiments;
using Milan.Language;
using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// Each application end to end through its one-line entry point on the tiny world corpus, with each
/// unit's first simulated annotation as its description (training MILAN is left to the CLI runs).
/// Accuracies are checked against the ones the corpus build measured independently (subject cards).
/// </summary>
[Trait("Tier", "Integration")]
public class ApplicationRunTests : IClassFixture<TinyWorldCorpus>
{
    private readonly TinyWorldCorpus _corpus;

    public ApplicationRunTests(TinyWorldCorpus corpus) => _corpus = corpus;

    private static JsonElement Summary(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json"))).RootElement;

    [Fact]
    public void Ablation_on_the_world_corpus_writes_curves_and_zero_units_is_the_model_as_measured_by_the_corpus_build()
    {
        string outFolder = _corpus.Results("ablation");
        using var describer = UnitDescriptions.FirstAnnotation();
        var result = ApplicationRuns.Ablation(_corpus.DataRoot, _corpus.ModelsRoot, outFolder, Profile.Tiny, CPU, describer: describer);

        var annotations = _corpus.FirstAnnotations("resnet18/world-a");
        Assert.Equal(annotations.Count, result.Units.Count);
        Assert.All(result.Units, u => Assert.Equal(annotations[(u.Unit.Layer, u.Unit.Unit)], u.Unit.Description));
        // The corpus build measured the model on the same test split when it trained it.
        Assert.Equal(_corpus.Manifest.Subjects["resnet18-world-a"].TestAccuracy, result.Unablated.Value, 9);
        int n = result.Units.Count;
        var expectedCounts = Enumerable.Range(0, 10).Select(i => (int)Math.Floor(i * 2 * n / 100.0)).ToList();
        Assert.Equal(expectedCounts, result.Points.Where(p => p.Criterion == "nouns").Select(p => p.Ablated));
        Assert.Equal(2 * 10, result.Points.Count(p => p.Criterion == AblationAnalysisResult.RandomCriterion));
        Assert.All(result.Points.Where(p => p.Ablated == 0), p => Assert.Equal(result.Unablated, p.Accuracy));
        Assert.Equal(6 * 5, result.LayerCounts.Count);   // 6 criteria x 5 layers
        foreach (var file in new[] { "descriptions.csv", "scores.csv", "curves.csv", "layers.csv", "accuracy.html", "layers.html", "summary.json" })
            Assert.True(File.Exists(Path.Combine(outFolder, file)), file);

        var summary = Summary(outFolder);
        Assert.Equal(n, summary.GetProperty("units").GetInt32());
        Assert.Equal(result.Unablated.Value, summary.GetProperty("unablated").GetDouble(), 12);
        var nouns = summary.GetProperty("curves").GetProperty("nouns").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(result.Curve("nouns").Select(c => c.Accuracy), nouns);
        Assert.Equal(result.Unablated.Value - nouns[^1], summary.GetProperty("drop_at_largest_fraction").GetProperty("nouns").GetDouble(), 12);

        // The ablation hooks are gone: a fresh model and an ablation-free measurement agree with the curves' start.
        using var model = SubjectModel.Load(Path.Combine(_corpus.ModelsRoot, "subjects", "resnet18-world-a", "weights.safetensors"), device: CPU);
        using var test = LabelledImages.ReadNpyFolder(Path.Combine(_corpus.DataRoot, "world", "a", "normal", "test"));
        Assert.Equal(result.Unablated, ClassifierAccuracy.Measure(model, test));

        // A second run replaces the folder and leaves no partial folders.
        File.WriteAllText(Path.Combine(outFolder, "stale.txt"), "from before");
        ApplicationRuns.Ablation(AblationSetup.ForWorldCorpus(new WorldCorpusLayout(_corpus.DataRoot, _corpus.ModelsRoot), outFolder, Profile.Tiny)
            with { Options = new AblationOptions { RandomTrials = 1, MaxFraction = 0.02 } }, describer, CPU);
        Assert.False(File.Exists(Path.Combine(outFolder, "stale.txt")));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(outFolder)!, ".partial-*"));
    }

    [Fact]
    public void Audit_of_the_two_world_models_counts_word_and_truth_flags_per_layer()
    {
        string outFolder = _corpus.Results("audit");
        using var describer = UnitDescriptions.FirstAnnotation();
        var result = ApplicationRuns.Audit(_corpus.DataRoot, _corpus.ModelsRoot, outFolder, Profile.Tiny, CPU, describer: describer);

        var summary = Summary(outFolder);
        var models = summary.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["resnet18-world-a", "resnet18-world-a-faces-blurred"], models.Select(m => m.GetProperty("model").GetString()));
        foreach (var (model, key) in new[] { ("resnet18-world-a", "resnet18/world-a"), ("resnet18-world-a-faces-blurred", "resnet18/world-a-faces-blurred") })
        {
            var annotations = _corpus.FirstAnnotations(key);
            var faceWords = new[] { "face", "faces", "head", "heads", "nose", "noses", "eye", "eyes", "mouth", "mouths" };
            int expected = annotations.Values.Count(d => d.ToLowerInvariant().Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries).Any(faceWords.Contains));
            var all = result.Counts.Single(c => c.Model == model && c.Layer == FaceAuditResult.AllLayers);
            Assert.Equal(annotations.Count, all.Units);
            Assert.Equal(expected, all.Agreement.Flagged);
            var perLayer = result.Counts.Where(c => c.Model == model && c.Layer != FaceAuditResult.AllLayers).ToList();
            Assert.Equal(5, perLayer.Count);
            Assert.Equal(all.Agreement.Flagged, perLayer.Sum(c => c.Agreement.Flagged));
            Assert.Equal(all.Agreement.Relevant, perLayer.Sum(c => c.Agreement.Relevant));
            Assert.Equal(result.Units.Count(u => u.Model == model && u.FaceIou >= result.Options.IouThreshold), all.Agreement.Relevant);
            var json = models.Single(m => m.GetProperty("model").GetString() == model);
            Assert.Equal(all.Agreement.Flagged, json.GetProperty("word_flagged").GetInt32());
            Assert.Equal(all.Agreement.Both, json.GetProperty("both").GetInt32());
            if (all.Agreement.Flagged > 0)
            {
                Assert.Equal((double)all.Agreement.Both / all.Agreement.Flagged, json.GetProperty("precision").GetDouble(), 12);
                Assert.NotEmpty(Directory.GetFiles(Path.Combine(outFolder, "sheets", model), "*.png"));
            }
            else Assert.Equal(JsonValueKind.Null, json.GetProperty("precision").ValueKind);
        }
        Assert.All(result.Units, u => Assert.InRange(u.FaceIou, 0, 1));
        foreach (var file in new[] { "units.csv", "counts.csv", "precision_recall.csv", "counts.html", "summary.json", "descriptions-resnet18-world-a.csv" })
            Assert.True(File.Exists(Path.Combine(outFolder, file)), file);
    }

    [Fact]
    public void Editing_the_spurious_text_model_reports_baselines_flags_and_curves()
    {
        string outFolder = _corpus.Results("edit");
        using var describer = UnitDescriptions.FirstAnnotation();
        var result = ApplicationRuns.Edit(_corpus.DataRoot, _corpus.ModelsRoot, outFolder, Profile.Tiny, CPU, describer: describer);

        double Baseline(string model, string split) => result.Baselines.Single(b => b.Model == model && b.Split == split).Accuracy.Value;
        Assert.Equal(6, result.Baselines.Count);
        // The corpus build measured both models on their own validation splits when it trained them.
        Assert.Equal(_corpus.Manifest.Subjects["resnet18-world-a-spurious-text"].ValidationAccuracy, Baseline(ModelAccuracy.Spurious, ModelAccuracy.SpuriousValidation), 9);
        Assert.Equal(_corpus.Manifest.Subjects["resnet18-world-a"].ValidationAccuracy, Baseline(ModelAccuracy.Clean, ModelAccuracy.CleanValidation), 9);
        Assert.Equal(_corpus.Manifest.Subjects["resnet18-world-a"].TestAccuracy, Baseline(ModelAccuracy.Clean, ModelAccuracy.CleanTest), 9);

        var annotations = _corpus.FirstAnnotations("resnet18/world-a-spurious-text");
        var words = new[] { "text", "texts", "word", "words", "letter", "letters" };
        int wholeWord = annotations.Values.Count(d => d.ToLowerInvariant().Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries).Any(words.Contains));
        int substring = annotations.Values.Count(d => new[] { "text", "word", "letter" }.Any(d.ToLowerInvariant().Contains));
        Assert.Equal([WordRule.TextWords.Name, WordRule.TextSubstringsAsReference.Name], result.Rules);
        Assert.Equal(wholeWord, result.Units.Count(u => u.Flags[WordRule.TextWords.Name]));
        Assert.Equal(substring, result.Units.Count(u => u.Flags[WordRule.TextSubstringsAsReference.Name]));

        // The ground truth: units whose exemplar masks overlap the text masks with IoU >= 0.1 (computed here independently of the run's flags).
        Assert.True(result.HasTruth);
        int truth = result.Units.Count(u => u.TextIou >= 0.1);
        Assert.Equal(truth, result.Units.Count(u => u.TruthFlagged));
        Assert.Equal(result.Units.Count(u => u.TruthFlagged && u.Flags[WordRule.TextWords.Name]), result.Agreement!.Value.Both);

        int steps = Math.Min(5, wholeWord), truthSteps = Math.Min(5, truth);
        // sort-spurious, sort-all and 2 random trials ablate 0..steps units; sort-truth 0..truthSteps.
        Assert.Equal((2 + 2) * (steps + 1) + truthSteps + 1, result.Points.Count);
        double adversarial = Baseline(ModelAccuracy.Spurious, ModelAccuracy.AdversarialTest);
        Assert.All(result.Points.Where(p => p.Ablated == 0), p => Assert.Equal(adversarial, p.Test.Value));
        // Each condition's gain is its mean curve's best adversarial accuracy minus the model's, reached first at BestAblated.
        foreach (var s in result.Summary)
        {
            var curve = result.Points.Where(p => p.Condition == s.Condition).GroupBy(p => p.Ablated)
                .Select(g => (Ablated: g.Key, Test: g.Average(p => p.Test.Value))).OrderBy(c => c.Ablated).ToList();
            double best = curve.Max(c => c.Test);
            Assert.Equal(best - adversarial, s.Gain, 12);
            Assert.Equal(curve.First(c => c.Test == best).Ablated, s.BestAblated);
        }
        // Each unit's score is the validation accuracy without it: sort-spurious ablates the best-scored candidates first.
        var candidates = result.Units.Where(u => u.Flags[WordRule.TextWords.Name]).Select(u => u.ValidationWithout.Value).OrderDescending().ToList();
        Assert.True(steps > 0, "no annotation of the spurious-text model's units names text");
        Assert.Equal(candidates[0], result.Points.Single(p => p.Condition == SpuriousTextEditingResult.SortSpurious && p.Ablated == 1).Validation.Value, 12);

        var summary = Summary(outFolder);
        Assert.Equal(wholeWord, summary.GetProperty("candidates").GetInt32());
        Assert.Equal(4, summary.GetProperty("conditions").GetArrayLength());
        Assert.Equal(truth, summary.GetProperty("truth_units").GetInt32());
        foreach (var file in new[] { "baselines.csv", "units.csv", "curves.csv", "summary.csv", "flags.csv", "curves.html", "descriptions.csv", "summary.json" })
            Assert.True(File.Exists(Path.Combine(outFolder, file)), file);
    }
}
