namespace Milan.Captioning;

/// <summary>Training of p(d|E) (milan-spec §3.4); the defaults are the reference's <c>Decoder.fit</c>.</summary>
public sealed record CaptionerTrainingSettings
{
    public int BatchSize { get; init; } = 64;
    public int MaxEpochs { get; init; } = 100;

    /// <summary>Stop after more than this many epochs in a row without a better validation metric.</summary>
    public int Patience { get; init; } = 4;

    /// <summary>AdamW with torch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01.</summary>
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Weight of the doubly-stochastic attention penalty mean_{b,k} (1 − Σ_t α)².</summary>
    public double AttentionPenaltyWeight { get; init; } = 1.0;

    /// <summary>Early stopping on the greedy validation metric (true, the reference's default) or on validation loss.</summary>
    public bool StopOnMetric { get; init; } = true;

    /// <summary>Seed of initialisation, data order and dropout.</summary>
    public int Seed { get; init; }

    internal void Validate()
    {
        if (BatchSize < 1 || MaxEpochs < 1 || Patience < 0)
            throw new MilanInputException($"captioner training settings out of range: {this}");
    }
}

/// <summary>Training of p(d) (milan-spec §4); the defaults are the reference's <c>LanguageModel.fit</c>.</summary>
public sealed record LanguageModelTrainingSettings
{
    public int BatchSize { get; init; } = 128;
    public int MaxEpochs { get; init; } = 100;
    public int Patience { get; init; } = 4;

    /// <summary>Share of the annotations (drawn at random, as the reference) held out for early stopping.</summary>
    public double HoldOut { get; init; } = 0.1;

    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;
    public int Seed { get; init; }

    internal void Validate()
    {
        if (BatchSize < 1 || MaxEpochs < 1 || Patience < 0 || HoldOut is <= 0 or >= 1)
            throw new MilanInputException($"language model training settings out of range: {this}");
    }
}

/// <summary>One epoch of training.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationLoss, double? ValidationMetric);

/// <summary>What a training run did; <see cref="BestEpoch"/>'s weights are the ones kept.</summary>
public sealed record TrainingReport(string Criterion, int Epochs, int BestEpoch, double BestValue, IReadOnlyList<EpochRecord> History);
