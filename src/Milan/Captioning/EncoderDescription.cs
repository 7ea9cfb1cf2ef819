using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Milan.Datasets;

namespace Milan.Captioning;

/// <summary>
/// What a <see cref="PyramidEncoder"/> is: the backbone architecture, its weights file and that file's
/// SHA-256, the traced layers, the feature size and the input normalisation. It identifies cached
/// features and is stored in checkpoint cards, so features are only ever reused with the encoder that
/// made them.
/// </summary>
public sealed record EncoderDescription(
    [property: JsonPropertyName("arch")] string Architecture,
    [property: JsonPropertyName("weights_file")] string? WeightsFile,
    [property: JsonPropertyName("weights_sha256")] string? WeightsSha256,
    [property: JsonPropertyName("layers")] IReadOnlyList<string> Layers,
    [property: JsonPropertyName("feature_size")] int FeatureSize,
    [property: JsonPropertyName("mean")] IReadOnlyList<float> Mean,
    [property: JsonPropertyName("std")] IReadOnlyList<float> Std)
{
    /// <summary>The layers the reference hooks in a ResNet: conv1 (before batch norm) and layer1..layer4.</summary>
    public static IReadOnlyList<string> ResNetLayers { get; } = ["conv1", "layer1", "layer2", "layer3", "layer4"];

    public ImageNormalization Normalization => new([.. Mean], [.. Std]);

    /// <summary>A canonical one-line form: equal descriptions give equal keys.</summary>
    public string Key =>
        $"arch={Architecture};weights_sha256={WeightsSha256 ?? "none"};layers={string.Join(",", Layers)};"
        + $"feature_size={FeatureSize};mean={string.Join(",", Mean.Select(m => m.ToString("R")))};std={string.Join(",", Std.Select(s => s.ToString("R")))}";

    /// <summary>Lowercase hex SHA-256 of a file.</summary>
    public static string Sha256Of(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "weights file not found");
        using var stream = IO.InputFile.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
