using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>The ablation analysis' inputs; defaults are the world corpus' ResNet18 on world a, probed on its normal test split.</summary>
public sealed record AblationSetup
{
    public string ModelWeights { get; init; } = WorldCorpusPaths.SubjectWeights("resnet18-world-a");
    public string Exemplars { get; init; } = WorldCorpusPaths.Exemplars("resnet18/world-a");
    /// <summary>Held-out labelled images (an npy folder) on which accuracy is measured.</summary>
    public string HeldOut { get; init; } = WorldCorpusPaths.Split("a", "normal", "test");
    /// <summary>Descriptions CSV of the model's units; null = describe with MILAN.</summary>
    public string? Descriptions { get; init; }
    public AblationOptions Options { get; init; } = new();
    public string OutFolder { get; init; } = ExperimentFolder.Default("ablation");
}

/// <summary>The face audit's inputs; defaults: the world-a ResNet18s trained on normal and on faces-blurred images, both probed on normal world-a val.</summary>
public sealed record AuditSetup
{
    public IReadOnlyList<(string Name, string Exemplars, string? Descriptions)> Models { get; init; } =
    [
        ("resnet18-world-a", WorldCorpusPaths.Exemplars("resnet18/world-a"), null),
        ("resnet18-world-a-faces-blurred", WorldCorpusPaths.Exemplars("resnet18/world-a-faces-blurred"), null),
    ];
    /// <summary>The split the exemplars were computed on, whose concept masks give the ground truth.</summary>
    public string ProbeSplit { get; init; } = WorldCorpusPaths.Split("a", "normal", "val");
    public FaceAuditOptions Options { get; init; } = new();
    public string OutFolder { get; init; } = ExperimentFolder.Default("audit");
}

/// <summary>The editing experiment's inputs; defaults: the world-a ResNet18 trained with spurious text, and the one trained without.</summary>
public sealed record EditingSetup
{
    public string ModelWeights { get; init; } = WorldCorpusPaths.SubjectWeights("resnet18-world-a-spurious-text");
    /// <summary>The same architecture trained without spurious text (reported for comparison), or null.</summary>
    public string? CleanModelWeights { get; init; } = WorldCorpusPaths.SubjectWeights("resnet18-world-a");
    public string Exemplars { get; init; } = WorldCorpusPaths.Exemplars("resnet18/world-a-spurious-text");
    /// <summary>Validation split of the spurious-text world (training distribution).</summary>
    public string Validation { get; init; } = WorldCorpusPaths.Split("a", "spurious-text", "val");
    /// <summary>Adversarial test split (every image carries a wrong class name).</summary>
    public string AdversarialTest { get; init; } = WorldCorpusPaths.Split("a", "spurious-text", "test");
    /// <summary>Validation and test splits without any spurious text, for the clean comparisons, or null.</summary>
    public string? CleanValidation { get; init; } = WorldCorpusPaths.Split("a", "normal", "val");
    public string? CleanTest { get; init; } = WorldCorpusPaths.Split("a", "normal", "test");
    public string? Descriptions { get; init; }
    public EditingOptions Options { get; init; } = new();
    public string OutFolder { get; init; } = ExperimentFolder.Default("edit");
}

/// <summary>
/// The three applications end to end: load models, images and descriptions (from a CSV, or from
/// MILAN), run, and write the results folder (replacing an earlier run's only when complete).
/// Each results folder also holds the descriptions used (descriptions*.csv).
/// </summary>
public static class ApplicationRuns
{
    public static AblationAnalysisResult Ablation(AblationSetup setup, UnitDescriptions describer, Device device, IProgress<WorkProgress>? progress = null)
    {
        var descriptions = describer.For(setup.Exemplars, setup.Descriptions);
        using var model = SubjectModel.Load(setup.ModelWeights, device: device);
        using var heldOut = LabelledImages.ReadNpyFolder(setup.HeldOut);
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
        using var model = SubjectModel.Load(setup.ModelWeights, device: device);
        using var validation = LabelledImages.ReadNpyFolder(setup.Validation);
        using var adversarial = LabelledImages.ReadNpyFolder(setup.AdversarialTest);
        var baselines = new List<ModelAccuracy>
        {
            new("spurious-text model", "spurious-text val", ClassifierAccuracy.Measure(model, validation, setup.Options.BatchSize, setup.Options.Normalization)),
            new("spurious-text model", "adversarial test", ClassifierAccuracy.Measure(model, adversarial, setup.Options.BatchSize, setup.Options.Normalization)),
        };
        using (var cleanVal = setup.CleanValidation is null ? null : LabelledImages.ReadNpyFolder(setup.CleanValidation))
        using (var cleanTest = setup.CleanTest is null ? null : LabelledImages.ReadNpyFolder(setup.CleanTest))
        {
            if (cleanTest is not null) baselines.Add(new("spurious-text model", "clean test", ClassifierAccuracy.Measure(model, cleanTest, setup.Options.BatchSize, setup.Options.Normalization)));
            if (setup.CleanModelWeights is not null)
            {
                using var clean = SubjectModel.Load(setup.CleanModelWeights, device: device);
                if (cleanVal is not null) baselines.Add(new("clean model", "clean val", ClassifierAccuracy.Measure(clean, cleanVal, setup.Options.BatchSize, setup.Options.Normalization)));
                baselines.Add(new("clean model", "adversarial test", ClassifierAccuracy.Measure(clean, adversarial, setup.Options.BatchSize, setup.Options.Normalization)));
                if (cleanTest is not null) baselines.Add(new("clean model", "clean test", ClassifierAccuracy.Measure(clean, cleanTest, setup.Options.BatchSize, setup.Options.Normalization)));
            }
        }
        var result = SpuriousTextEditing.Run(model, descriptions, validation, adversarial, baselines, setup.Options, progress);
        ExperimentFolder.Replace(setup.OutFolder, folder =>
        {
            UnitDescription.WriteCsv(Path.Combine(folder, "descriptions.csv"), descriptions);
            result.Write(folder);
        });
        return result;
    }
}
