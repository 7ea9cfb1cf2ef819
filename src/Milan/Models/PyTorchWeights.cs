using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Reads a PyTorch state dict saved with <c>torch.save</c> (.pt/.pth, the zip format of PyTorch 1.6
/// and later) through <see cref="TorchSaveFile"/>, which rebuilds only tensors and plain containers
/// (no Python code runs). Accepted: a flat state dict, or a checkpoint holding one under "state_dict"
/// or "model"; DataParallel's "module." prefixes are removed.
/// </summary>
internal static class PyTorchWeights
{
    private static readonly string[] NestedKeys = ["state_dict", "model"];

    public static Dictionary<string, Tensor> Read(string path)
    {
        using var file = TorchSaveFile.Open(path);
        var root = file.Root as PickledDict ?? throw MilanInputException.InFile(path, "not a state dict: the pickled object is not a dictionary");
        var state = StateDict(root, path);
        bool parallel = state.Count > 0 && state.Items.All(i => i.Key is string k && k.StartsWith("module.", StringComparison.Ordinal));
        var tensors = file.Tensors(state);
        return parallel ? tensors.ToDictionary(p => p.Key["module.".Length..], p => p.Value, StringComparer.Ordinal) : tensors;
    }

    /// <summary>The dictionary of tensors; non-tensor entries are allowed only around a nested one.</summary>
    private static PickledDict StateDict(PickledDict root, string path)
    {
        if (TensorsOnly(root)) return root;
        foreach (var key in NestedKeys)
            if (root.TryGet(key, out var nested) && nested is PickledDict inner && TensorsOnly(inner)) return inner;
        var entries = root.Items.Select(e => $"{e.Key} ({e.Value?.GetType().Name ?? "null"})").Order();
        throw MilanInputException.InFile(path,
            $"not a state dict of tensors: entries {string.Join(", ", entries.Take(10))}{(root.Count > 10 ? ", ..." : "")}; expected name -> tensor, or a checkpoint with one under 'state_dict' or 'model'");
    }

    private static bool TensorsOnly(PickledDict dict) => dict.Count > 0 && dict.Items.All(i => i.Key is string && i.Value is StoredTensor);
}
