namespace Milan.Captioning;

/// <summary>
/// Everything <see cref="MilanModel.Train(TorchSharp.torch.Tensor, IReadOnlyList{IReadOnlyList{string}}, EncoderDescription, MilanTrainingOptions, ValidationMetric, TorchSharp.torch.Device, IProgress{WorkProgress}?)"/>
/// needs besides the data; defaults are the reference's.
/// </summary>
public sealed record MilanTrainingOptions
{
    /// <summary>Share of neurons held out for early stopping (drawn with <see cref="SplitSeed"/>); floor(share × N) neurons.</summary>
    public double HoldOut { get; init; } = 0.1;

    /// <summary>Explicit validation neurons (indices into the data); overrides <see cref="HoldOut"/>.</summary>
    public IReadOnlyList<int>? ValidationNeurons { get; init; }

    public int SplitSeed { get; init; }

    public CaptionerTrainingSettings Captioner { get; init; } = new();
    public LanguageModelTrainingSettings LanguageModel { get; init; } = new();

    /// <summary>Word embedding size of both networks (128 in the reference).</summary>
    public int EmbeddingSize { get; init; } = 128;

    /// <summary>LSTM hidden size of both networks (512 in the reference).</summary>
    public int HiddenSize { get; init; } = 512;

    /// <summary>Dropout of both networks (0.5 in the reference).</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Names of the training data (dataset keys or folders), recorded in the checkpoint card.</summary>
    public IReadOnlyList<string> DataKeys { get; init; } = [];

    /// <summary>Decoding settings stored as the model's defaults.</summary>
    public DecodingOptions Decoding { get; init; } = DecodingOptions.Default;

    /// <summary>The validation neurons for <paramref name="count"/> neurons.</summary>
    internal int[] ChooseValidation(int count)
    {
        if (ValidationNeurons is { } fixedNeurons)
        {
            var bad = fixedNeurons.Where(i => i < 0 || i >= count).ToList();
            if (bad.Count > 0) throw new MilanInputException($"validation neurons {string.Join(", ", bad)} are outside 0..{count - 1}");
            if (fixedNeurons.Distinct().Count() >= count) throw new MilanInputException("the validation neurons cover the whole dataset");
            return [.. fixedNeurons.Distinct().Order()];
        }
        if (HoldOut is <= 0 or >= 1) throw new MilanInputException($"--hold-out {HoldOut}: expected a share in (0, 1)");
        int validation = (int)(HoldOut * count);
        if (validation == 0 || validation == count)
            throw new MilanInputException($"--hold-out {HoldOut} of {count} neurons leaves an empty training or validation set");
        var permutation = Enumerable.Range(0, count).ToArray();
        var random = new Random(SplitSeed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        return [.. permutation.Take(validation).Order()];
    }
}
