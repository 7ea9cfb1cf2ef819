using Milan.Corpus;
using Milan.Models;
using Milan.World;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>The ablation analysis' inputs (<see cref="ForWorldCorpus"/>: the world corpus' ResNet18 on world a, measured on its normal test split).</summary>
public sealed record AblationSetup
{
    public required string ModelWeights { get; init; }
    public required string Exemplars { get; init; }
    /// <summary>Held-out labelled images (an npy folder) on which accuracy is measured.</summary>
    public required string HeldOut { get; init; }
    /// <summary>Descriptions CSV of the model's units; null = ask the <see cref="UnitDescriptions"/>.</summary>
    public string? Descriptions { get; init; }
    public AblationOptions Options { get; init; } = new();
    public required string OutFolder { get; init; }

    public static AblationSetup ForWorldCorpus(WorldCorpusLayout layout, string outFolder, Profile profile) => new()
    {
        ModelWeights = layout.SubjectWeights("resnet18-world-a"),
        Exemplars = layout.Exemplars("resnet18/world-a"),
        HeldOut = layout.Split("a", WorldVariant.Normal, "test"),
        Options = AblationOptions.For(profile),
        OutFolder = outFolder,
    };
}

/// <summary>The face audit's inputs (<see cref="ForWorldCorpus"/>: the world-a ResNet18s trained on normal and on faces-blurred images, both probed on normal world-a val).</summary>
public sealed record AuditSetup
{
    public required IReadOnlyList<(string Name, string Exemplars, string? Descriptions)> Models { get; init; }
    /// <summary>The split the exemplars were computed on, whose concept masks give the ground truth.</summary>
    public required string ProbeSplit { get; init; }
    public FaceAuditOptions Options { get; init; } = new();
    public required string OutFolder { get; init; }

    public static AuditSetup ForWorldCorpus(WorldCorpusLayout layout, string outFolder, Profile profile) => new()
    {
        Models =
        [
            ("resnet18-world-a", layout.Exemplars("resnet18/world-a"), null),
            ("resnet18-world-a-faces-blurred", layout.Exemplars("resnet18/world-a-faces-blurred"), null),
        ],
        ProbeSplit = layout.Split("a", WorldVariant.Normal, "val"),
        Options = FaceAuditOptions.For(profile),
        OutFolder = outFolder,
    };
}

/// <summary>The editing experiment's inputs (<see cref="ForWorldCorpus"/>: the world-a ResNet18 trained with spurious text, and the one trained without).</summary>
public sealed record EditingSetup
{
    public required string ModelWeights { get; init; }
    /// <summary>The same architecture trained without spurious text (reported for comparison), or null.</summary>
    public string? CleanModelWeights { get; init; }
    /// <summary>The model's exemplars, computed on <see cref="Validation"/> (whose text masks give the ground-truth text units).</summary>
    public required string Exemplars { get; init; }
    /// <summary>Validation split of the spurious-text world (training distribution).</summary>
    public required string Validation { get; init; }
    /// <summary>Adversarial test split (every image carries a wrong class name).</summary>
    public required string AdversarialTest { get; init; }
    /// <summary>Validation and test splits without any spurious text, for the clean comparisons, or null.</summary>
    public string? CleanValidation { get; init; }
    public string? CleanTest { get; init; }
    public string? Descriptions { get; init; }
    public EditingOptions Options { get; init; } = new();
    public required string OutFolder { get; init; }

    public static EditingSetup ForWorldCorpus(WorldCorpusLayout layout, string outFolder, Profile profile) => new()
    {
        ModelWeights = layout.SubjectWeights("resnet18-world-a-spurious-text"),
        CleanModelWeights = layout.SubjectWeights("resnet18-world-a"),
        Exemplars = layout.Exemplars("resnet18/world-a-spurious-text"),
        Validation = layout.Split("a", WorldVariant.SpuriousText(), "val"),
        AdversarialTest = layout.Split("a", WorldVariant.SpuriousText(), "test"),
        CleanValidation = layout.Split("a", WorldVariant.Normal, "val"),
        CleanTest = layout.Split("a", WorldVariant.Normal, "test"),
        Options = EditingOptions.For(profile),
        OutFolder = outFolder,
    };
}

/// <summary>
/// The three applications end to end: load models, images and descriptions (from a CSV, or from
/// MILAN), run, and write the results folder (replacing an earlier run's only when complete), with
/// the key numbers in summary.json and the descriptions used (descriptions*.csv).
/// The one-line forms take the world corpus' roots: the data root and models root that
/// <c>milan milannotations build</c> wrote, and describe units with the applications' MILAN at
/// &lt;models&gt;/milan/world-apps, trained there on first use and reused afterwards.
/// </summary>
public static class ApplicationRuns
{
    /// <summary>The ablation analysis on the world corpus, in one call.</summary>
    /// <param name="describer">null = the applications' MILAN (<see cref="UnitDescriptions.Milan"/>).</param>
    public static AblationAnalysisResult Ablation(string dataRoot, string modelsRoot, string resultsFolder, Profile profile, Device device,
                                                  IProgress<WorkProgress>? progress = null, UnitDescriptions? describer = null)
    {
        var layout = new WorldCorpusLayout(dataRoot, modelsRoot);
        using var owned = describer is null ? UnitDescriptions.Milan(layout, profile, device, progress: progress) : null;
        return Ablation(AblationSetup.ForWorldCorpus(layout, resultsFolder, profile), describer ?? owned!, device, progress);
    }

    /// <summary>The face audit on the world corpus, in one call.</summary>
    /// <param name="describer">null = the applications' MILAN (<see cref="UnitDescriptions.Milan"/>).</param>
    public static FaceAuditResult Audit(string dataRoot, string modelsRoot, string resultsFolder, Profile profile, Device device,
                                        IProgress<WorkProgress>? progress = null, UnitDescriptions? describer = null)
    {
        var layout = new WorldCorpusLayout(dataRoot, modelsRoot);
        using var owned = describer is null ? UnitDescriptions.Milan(layout, profile, device, progress: progress) : null;
        return Audit(AuditSetup.ForWorldCorpus(layout, resultsFolder, profile), describer ?? owned!, progress);
    }

    /// <summary>The spurious-text editing experiment on the world corpus, in one call.</summary>
    /// <param name="describer">null = the applications' MILAN (<see cref="UnitDescriptions.Milan"/>).</param>
    public static SpuriousTextEditingResult Edit(string dataRoot, string modelsRoot, string resultsFolder, Profile profile, Device device,
                                                 IProgress<WorkProgress>? progress = null, UnitDescriptions? describer = null)
    {
        var layout = new WorldCorpusLayout(dataRoot, modelsRoot);
        using var owned = describer is null ? UnitDescriptions.Milan(layout, profile, device, progress: progress) : null;
        return Edit(EditingSetup.ForWorldCorpus(layout, resultsFolder, profile), describer ?? owned!, device, progress);
    }

    public static AblationAnalysisResult Ablation(AblationSetup setup, UnitDescriptions describer, Device device, IProgress<WorkProgress>? progress = null)
    {
        var descriptions = describer.For(setup.Exemplars, setup.Descriptions);
        using var model = SubjectModel.Load(setup.ModelWeights, device: device);
        using var heldOut = LabelledImages.ReadNpyFolder(setup.HeldOut, setup.Options.HeldOutImages);
        var result = AblationAnalysis.Run(model, descriptions, heldOut, setup.Options, progress);
        ExperimentFolder.Replace(setup.OutFolder, folder =>
        {
            UnitDescription.WriteCsv(Path.Combine(folder, "descriptions.csv"), descriptions);
            result.Write(folder);
        });
        return result;
    }

    public static FaceAuditResult Audit(AuditSetup setup, UnitDescriptions describer, IProgress<WorkProgress>? progress = null)
    {
        var models = setup.Models.Select(m => new AuditedModel(m.Name, m.Exemplars, describer.For(m.Exemplars, m.Descriptions))).ToList();
        var result = FaceAudit.Run(models, setup.ProbeSplit, setup.Options, progress);
        ExperimentFolder.Replace(setup.OutFolder, folder =>
        {
            foreach (var model in models) UnitDescription.WriteCsv(Path.Combine(folder, $"descriptions-{model.Name}.csv"), model.Descriptions);
            result.Write(folder);
        });
        return result;
    }

    public static SpuriousTextEditingResult Edit(EditingSetup setup, UnitDescriptions describer, Device device, IProgress<WorkProgress>? progress = null)
    {
        var descriptions = describer.For(setup.Exemplars, setup.Descriptions);
        var options = setup.Options;
        using var model = SubjectModel.Load(setup.ModelWeights, device: device);
        using var validation = LabelledImages.ReadNpyFolder(setup.Validation, options.ValidationImages);
        using var adversarial = LabelledImages.ReadNpyFolder(setup.AdversarialTest, options.TestImages);
        Accuracy Measure(nn.Module<Tensor, Tensor> m, LabelledImages data) => ClassifierAccuracy.Measure(m, data, options.BatchSize, options.Normalization);
        var baselines = new List<ModelAccuracy>
        {
            new(ModelAccuracy.Spurious, ModelAccuracy.SpuriousValidation, Measure(model, validation)),
            new(ModelAccuracy.Spurious, ModelAccuracy.AdversarialTest, Measure(model, adversarial)),
        };
        using (var cleanVal = setup.CleanValidation is null ? null : LabelledImages.ReadNpyFolder(setup.CleanValidation, options.ValidationImages))
        using (var cleanTest = setup.CleanTest is null ? null : LabelledImages.ReadNpyFolder(setup.CleanTest, options.TestImages))
        {
            if (cleanTest is not null) baselines.Add(new(ModelAccuracy.Spurious, ModelAccuracy.CleanTest, Measure(model, cleanTest)));
            if (setup.CleanModelWeights is not null)
            {
                using var clean = SubjectModel.Load(setup.CleanModelWeights, device: device);
                if (cleanVal is not null) baselines.Add(new(ModelAccuracy.Clean, ModelAccuracy.CleanValidation, Measure(clean, cleanVal)));
                baselines.Add(new(ModelAccuracy.Clean, ModelAccuracy.AdversarialTest, Measure(clean, adversarial)));
                if (cleanTest is not null) baselines.Add(new(ModelAccuracy.Clean, ModelAccuracy.CleanTest, Measure(clean, cleanTest)));
            }
        }
        IReadOnlyDictionary<ModelUnit, double> textIou;
        using (var masks = new WorldConceptMasks(SimulatedAnnotation.ResolveSplit(setup.Validation)))
            textIou = ConceptOverlap.Iou(setup.Exemplars, masks, ConceptVocabulary.TextName, progress);
        var result = SpuriousTextEditing.Run(model, descriptions, validation, adversarial, baselines, options, progress, textIou);
        ExperimentFolder.Replace(setup.OutFolder, folder =>
        {
            UnitDescription.WriteCsv(Path.Combine(folder, "descriptions.csv"), descriptions);
            result.Write(folder);
        });
        return result;
    }
}
