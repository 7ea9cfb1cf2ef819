using Milan.Datasets;
namespace Milan.Experiments;

/// <summary>Settings of the ablation analysis (paper §5; defaults are the reference's, milan-spec §7.1).</summary>
public sealed record AblationOptions
{
    /// <summary>Step between ablated fractions of all described units.</summary>
    public double FractionStep { get; init; } = 0.02;

    /// <summary>Largest fraction ablated (the reference: 0.18, from numpy.arange(0, 0.2, 0.02)).</summary>
    public double MaxFraction { get; init; } = 0.18;

    /// <summary>Random orders ablated as the baseline (the reference: 5 trials).</summary>
    public int RandomTrials { get; init; } = 5;

    /// <summary>Seed of the random orders (trial t uses (seed, t)).</summary>
    public long Seed { get; init; }

    /// <summary>Images per forward pass when measuring accuracy.</summary>
    public int BatchSize { get; init; } = ClassifierAccuracy.DefaultBatchSize;

    /// <summary>How image bytes become model input (the subject models': ImageNet statistics).</summary>
    public ImageNormalization Normalization { get; init; } = ImageNormalization.ImageNet;

    /// <summary>Criteria to sort by; null = <see cref="DescriptionCriterion.Standard"/>.</summary>
    public IReadOnlyList<DescriptionCriterion>? Criteria { get; init; }

    /// <summary>Held-out images used (the first this many), or null for all.</summary>
    public int? HeldOutImages { get; init; }

    /// <summary>
    /// Sizes per profile. Every profile ablates the reference's fractions. tiny: 2 random orders, all
    /// held-out images; demo: 3 random orders on the first 500 held-out images (the reference: 5 orders,
    /// all images; cut so the demo's applications fit their time budget, docs/experiments.md); paper:
    /// the reference's.
    /// </summary>
    public static AblationOptions For(Profile profile) => new()
    {
        RandomTrials = profile.Choose(2, 3, 5),
        HeldOutImages = profile.Choose<int?>(null, 500, null),
    };
}
