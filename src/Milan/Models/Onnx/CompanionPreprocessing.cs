namespace Milan.Models.Onnx;

/// <summary>
/// Finds the preprocessing graph shipped beside a model. ML.NET's DnnImageFeaturizer packages lay
/// models out as <c>DnnImageModels/&lt;Model&gt;Onnx/&lt;Model&gt;.onnx</c> with the input
/// transform in a sibling <c>DnnImageModels/&lt;Family&gt;PrepOnnx/&lt;Family&gt;Preprocess.onnx</c>
/// (for ResNet18: BGR channel order minus a per-pixel mean image, on pixel values 0..255).
/// </summary>
public static class CompanionPreprocessing
{
    public const string ModelsFolder = "DnnImageModels";

    /// <summary>The preprocessing graph for <paramref name="modelPath"/>, or null when the model is not in that layout.</summary>
    public static string? Find(string modelPath)
    {
        string? modelFolder = Path.GetDirectoryName(Path.GetFullPath(modelPath));
        string? root = modelFolder is null ? null : Path.GetDirectoryName(modelFolder);
        if (root is null || Path.GetFileName(root) != ModelsFolder) return null;
        var candidates = Directory.GetDirectories(root, "*PrepOnnx")
            .SelectMany(d => Directory.GetFiles(d, "*.onnx"))
            .Where(f => Path.GetFullPath(f) != Path.GetFullPath(modelPath))
            .ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }
}
