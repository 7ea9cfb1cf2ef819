using Milan.World;

namespace Milan.Corpus;

/// <summary>
/// One subject model of the world corpus: its name (its folder under MILAN_MODELS_DIR/subjects),
/// architecture and width, the world it is trained on (dataset and variant) with its seed, and, for
/// described models, the dataset key it is dissected into (e.g. <c>resnet18/world-a</c>) and the
/// world whose val split is probed (the normal world for the faces-blurred model, as the reference
/// dissects blurred models on unblurred ImageNet val). The captioner's encoder has no key.
/// <see cref="MaxEpochs"/> overrides the profile's epochs (AlexNet, with dropout, learns more slowly).
/// </summary>
public sealed record WorldCorpusSubject(
    string Name,
    string Architecture,
    int Width,
    string Dataset,
    WorldVariant Variant,
    long Seed,
    string? Key,
    WorldVariant? ProbeVariant,
    int? MaxEpochs = null)
{
    public const string ProbeSplit = "val";

    /// <summary>The world the probe split belongs to (dataset of training, <see cref="ProbeVariant"/>).</summary>
    public (string Dataset, WorldVariant Variant) ProbeWorld => (Dataset, ProbeVariant ?? Variant);
}
