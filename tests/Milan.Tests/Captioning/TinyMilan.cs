using Milan.Captioning;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

/// <summary>
/// A handful of synthetic neurons (random exemplar features, distinct short descriptions) and a small
/// MILAN trained on them once per test class. Neurons 8..15 repeat neurons 0..7 and are the validation
/// neurons, so the early-stopping metric is the training fit.
/// </summary>
public sealed class TinyMilan : IDisposable
{
    public static readonly string[] Descriptions =
    [
        "red circles", "blue squares", "red and blue stripes", "green grass",
        "text on signs", "faces of people", "blue sky", "green circles",
    ];

    public Tensor Features { get; }
    public IReadOnlyList<IReadOnlyList<string>> Annotations { get; }
    public MilanModel Model { get; }

    public static readonly EncoderDescription Encoder =
        new("synthetic", null, null, ["features"], 16, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    public static MilanTrainingOptions Options => new()
    {
        ValidationNeurons = [8, 9, 10, 11, 12, 13, 14, 15],
        EmbeddingSize = 32,
        HiddenSize = 64,
        Dropout = 0.1,
        DataKeys = ["synthetic/tiny"],
        Captioner = new CaptionerTrainingSettings { BatchSize = 8, MaxEpochs = 60, Patience = 8, LearningRate = 1e-2, Seed = 1 },
        LanguageModel = new LanguageModelTrainingSettings { BatchSize = 8, MaxEpochs = 15, Patience = 3, Seed = 2 },
        Decoding = DecodingOptions.Default with { BeamSize = 8 },
    };

    public TinyMilan()
    {
        var generator = new Generator(42);
        var features = randn([8, 3, 16], generator: generator);
        Features = cat([features, features], 0).DetachFromDisposeScope();
        Annotations = Descriptions.Concat(Descriptions).Select(d => (IReadOnlyList<string>)[d, d, d]).ToList();
        Model = MilanModel.Train(Features, Annotations, Encoder, Options, ValidationMetric.ExactMatch, CPU);
        generator.Dispose();
    }

    public void Dispose()
    {
        Model.Dispose();
        Features.Dispose();
    }
}
