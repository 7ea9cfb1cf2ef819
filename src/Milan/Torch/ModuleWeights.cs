using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// Copies named tensors into a module's parameters and buffers by state-dict name, strictly: unknown
/// keys, missing keys and shape mismatches are one error that lists them all. Also saves a module's
/// state dict as safetensors with the same names (torchvision's, for the models in Models/).
/// </summary>
public static class ModuleWeights
{
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        var target = module.state_dict();
        var unknown = weights.Keys.Where(k => !target.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        // Batch norms' num_batches_tracked only counts training steps; state dicts saved before PyTorch 0.4.1
        // (torchvision's first ImageNet weights among them) lack it, and PyTorch loads them all the same.
        var missing = target.Keys.Where(k => !weights.ContainsKey(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .OrderBy(k => k, StringComparer.Ordinal).ToList();
        var mismatched = target.Keys.Where(weights.ContainsKey)
            .Where(k => !target[k].shape.SequenceEqual(weights[k].shape))
            .Select(k => $"{k} (model [{string.Join(",", target[k].shape)}], file [{string.Join(",", weights[k].shape)}])")
            .ToList();
        if (unknown.Count + missing.Count + mismatched.Count > 0)
        {
            var problems = new List<string>();
            if (unknown.Count > 0) problems.Add($"unknown keys: {string.Join(", ", unknown)}");
            if (missing.Count > 0) problems.Add($"missing keys: {string.Join(", ", missing)}");
            if (mismatched.Count > 0) problems.Add($"shape mismatches: {string.Join(", ", mismatched)}");
            throw MilanInputException.InFile(source, $"weights do not fit {module.GetName()}: {string.Join("; ", problems)}");
        }
        using var _ = no_grad();
        foreach (var (name, tensor) in target.Where(t => weights.ContainsKey(t.Key)))
            tensor.copy_(weights[name].to(tensor.dtype));
    }

    public static void LoadSafeTensors(nn.Module module, string path)
    {
        using var contents = SafeTensors.Read(path);
        Load(module, contents.Tensors, path);
    }

    public static void SaveSafeTensors(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Write(path, module.state_dict(), metadata);
}
