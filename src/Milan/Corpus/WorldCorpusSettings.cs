using Milan.Exemplars;
using Milan.Models;
using Milan.World;

namespace Milan.Corpus;

/// <summary>
/// What the world corpus build makes for a profile: the worlds' sizes, the subject models (names,
/// architectures, widths, worlds, seeds, dataset keys), how they are trained, and the exemplar and
/// annotation settings. Widths and epochs are small so that the demo builds in minutes on 2 CPU
/// cores (docs/corpus.md has the measurements behind them).
/// </summary>
public sealed record WorldCorpusSettings(
    Profile Profile,
    WorldSettings World,
    IReadOnlyList<WorldCorpusSubject> Subjects,
    SubjectTrainingOptions Training,
    ExemplarOptions Exemplars,
    long AnnotationSeed)
{
    public const string EncoderName = "encoder-resnet18";

    public static WorldCorpusSettings For(Profile profile)
    {
        if (profile == Profile.Paper)
            throw new MilanInputException("--profile paper: the world corpus is built for tiny and demo only (the paper's corpus is MILANNOTATIONS; see 'milan data fetch')");
        int width = profile.Choose(8, 8, 0);
        // The world-a ResNet18s are the applications' subjects (ablation, face audit, text editing): at width 16
        // they hold the face and text units those need (docs/world.md, "Width of the applications' subjects");
        // the others stay at 8 so that the demo fits its time budget.
        int applicationsWidth = profile.Choose(8, 16, 0);
        // torchvision's AlexNet needs 63 px; the tiny world's 32 px images need the small-input variant.
        string alexnet = profile.Choose(ModelArchitecture.AlexNetSmallName, "alexnet", "");
        int alexnetWidth = profile.Choose(8, 16, 0);
        var normal = WorldVariant.Normal;
        var subjects = new WorldCorpusSubject[]
        {
            new("resnet18-world-a", "resnet18", applicationsWidth, "a", normal, 1, "resnet18/world-a", null),
            new("alexnet-world-a", alexnet, alexnetWidth, "a", normal, 2, "alexnet/world-a", null, profile.Choose(10, 8, 0)),
            new("resnet18-world-b", "resnet18", width, "b", normal, 3, "resnet18/world-b", null),
            new("resnet18-world-a-faces-blurred", "resnet18", applicationsWidth, "a", WorldVariant.FacesBlurred, 4, "resnet18/world-a-faces-blurred", normal),
            new("resnet18-world-a-spurious-text", "resnet18", applicationsWidth, "a", WorldVariant.SpuriousText(), 5, "resnet18/world-a-spurious-text", null),
            // Not described by the applications: it gives the applications' MILAN units whose annotations mention text.
            new("resnet18-world-b-spurious-text", "resnet18", width, "b", WorldVariant.SpuriousText(), 6, "resnet18/world-b-spurious-text", null),
            new(EncoderName, "resnet18", width, "b", normal, 11, null, null),
        };
        var training = new SubjectTrainingOptions
        {
            MaxEpochs = profile.Choose(6, 3, 0),
            Patience = profile.Choose(2, 1, 0),
            BatchSize = profile.Choose(32, 64, 0),
        };
        var exemplars = new ExemplarOptions { K = 15, BatchSize = 100 };
        return new WorldCorpusSettings(profile, WorldSettings.For(profile), subjects, training, exemplars, AnnotationSeed: 0);
    }

    /// <summary>The worlds the subjects train on or are probed on, each once, in first-use order.</summary>
    public IReadOnlyList<(string Dataset, WorldVariant Variant)> Worlds =>
        Subjects.SelectMany(s => new[] { (s.Dataset, s.Variant), s.ProbeWorld }).Distinct().ToList();

    /// <summary>The subjects that are dissected into a dataset key.</summary>
    public IReadOnlyList<WorldCorpusSubject> Described => Subjects.Where(s => s.Key is not null).ToList();
}
