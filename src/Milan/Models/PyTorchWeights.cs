using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Reads a PyTorch state dict saved with <c>torch.save</c> (.pt/.pth, the zip format of PyTorch 1.6
/// and later) through TorchSharp.PyBridge, which rebuilds only tensors and plain containers (no
/// Python code runs). Accepted: a flat state dict, or a checkpoint holding one under "state_dict"
/// or "model"; DataParallel's "module." prefixes are removed.
/// </summary>
internal static class PyTorchWeights
{
    private static readonly string[] NestedKeys = ["state_dict", "model"];

    public static Dictionary<string, Tensor> Read(string path)
    {
        Hashtable root;
        try
        {
            root = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (NotImplementedException)
        {
            throw MilanInputException.InFile(path,
                "saved in PyTorch's format from before 1.6, which cannot be read here; re-save it with torch.save in PyTorch 1.6 or later, or convert it to safetensors (docs/models.md)");
        }
        catch (Exception e) when (e is not MilanInputException)
        {
            throw MilanInputException.InFile(path, $"cannot read this PyTorch file ({e.GetType().Name}: {e.Message})");
        }
        var state = StateDict(root, path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        bool parallel = state.Count > 0 && state.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal));
        foreach (var (key, tensor) in state) tensors[parallel ? key["module.".Length..] : key] = tensor;
        return tensors;
    }

    /// <summary>The tensors of a state dict; non-tensor entries are allowed only around a nested one.</summary>
    private static Dictionary<string, Tensor> StateDict(Hashtable root, string path)
    {
        if (TensorsOnly(root) is { } flat) return flat;
        foreach (var key in NestedKeys)
        {
            if (root[key] is Hashtable nested && TensorsOnly(nested) is { } inner) return inner;
        }
        var entries = root.Cast<DictionaryEntry>().Select(e => $"{e.Key} ({e.Value?.GetType().Name ?? "null"})").Order();
        throw MilanInputException.InFile(path,
            $"not a state dict of tensors: entries {string.Join(", ", entries.Take(10))}{(root.Count > 10 ? ", ..." : "")}; expected name -> tensor, or a checkpoint with one under 'state_dict' or 'model'");
    }

    private static Dictionary<string, Tensor>? TensorsOnly(Hashtable table)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor) return null;
            tensors[key] = tensor;
        }
        return tensors.Count > 0 ? tensors : null;
    }
}
