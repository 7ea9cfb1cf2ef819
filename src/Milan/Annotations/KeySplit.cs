namespace Milan.Annotations;

/// <summary>What a generalization split varies between train and test keys.</summary>
public enum KeyFactor
{
    /// <summary>The dataset key itself (leave one model out).</summary>
    Key,

    /// <summary>The model, e.g. alexnet vs resnet152 (the first part of the key).</summary>
    Architecture,

    /// <summary>The image dataset, e.g. imagenet vs places365, or two world datasets (the second part).</summary>
    Dataset,

    /// <summary>The model's task: classifier, generator, self-supervised (registered keys only).</summary>
    Task,
}

/// <summary>
/// A train/test split over dataset keys. With <see cref="HoldOut"/> set it is a within-network
/// split: train and test are the same keys and a random fraction of their neurons is held out
/// (each key split separately, as the reference runs one split per model); otherwise the train
/// keys' samples train and the test keys' samples test.
/// </summary>
public sealed record KeySplit(string Name, IReadOnlyList<DatasetKey> Train, IReadOnlyList<DatasetKey> Test, double? HoldOut = null)
{
    public override string ToString() => Name;
}
