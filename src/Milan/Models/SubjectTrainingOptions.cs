namespace Milan.Models;

/// <summary>
/// How <see cref="SubjectTraining"/> trains a classifier: AdamW with a one-cycle learning rate over
/// <see cref="MaxEpochs"/>, shuffled mini-batches, random horizontal flips, and early stopping on the
/// validation accuracy (stop after more than <see cref="Patience"/> epochs without a strictly better one).
/// </summary>
public sealed record SubjectTrainingOptions
{
    public int MaxEpochs { get; init; } = 10;
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of the one-cycle schedule.</summary>
    public double LearningRate { get; init; } = 3e-3;
    public double WeightDecay { get; init; } = 0.05;
    public int Patience { get; init; } = 3;

    /// <summary>Seed of the initial weights, the batch order, the flips and dropout.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Flip each training image left-right with probability 1/2.</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Called after each epoch's validation with the epoch's record and the model (tests snapshot it here).</summary>
    public Action<SubjectEpoch, SubjectModel>? EpochEnded { get; init; }

    public void Validate()
    {
        if (MaxEpochs < 1) throw new MilanInputException($"--epochs must be at least 1, got {MaxEpochs}");
        if (BatchSize < 1) throw new MilanInputException($"--batch-size must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0)) throw new MilanInputException($"--learning-rate must be positive, got {LearningRate}");
        if (WeightDecay < 0) throw new MilanInputException($"--weight-decay must not be negative, got {WeightDecay}");
        if (Patience < 0) throw new MilanInputException($"--patience must not be negative, got {Patience}");
    }
}
