using Milan.Datasets;

namespace Milan.Models.Onnx;

/// <summary>How an ONNX model's input is prepared (docs/models.md, "Importing ONNX models").</summary>
public sealed record OnnxImportOptions
{
    /// <summary>
    /// A preprocessing graph that turns pixel values 0..255 (RGB, as decoded) into the model's input;
    /// it runs as the network's first module, <c>preprocess</c>. Null: the one shipped beside the
    /// model (<see cref="CompanionPreprocessing"/>) if any.
    /// </summary>
    public string? Preprocess { get; init; }

    /// <summary>Whether to look for a preprocessing graph beside the model when <see cref="Preprocess"/> is null.</summary>
    public bool FindCompanion { get; init; } = true;

    /// <summary>
    /// The normalisation for a model without a preprocessing graph. An ONNX file does not say how its
    /// input was normalised; the default is torchvision's ImageNet mean and standard deviation.
    /// </summary>
    public ImageNormalization Normalization { get; init; } = ImageNormalization.ImageNet;
}
