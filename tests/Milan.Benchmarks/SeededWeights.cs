using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Benchmarks;

/// <summary>
/// Deterministic weights that tools/torch_peer.py reproduces bit for bit (torch.manual_seed streams are
/// the same in TorchSharp and PyTorch): every state-dict entry, by name in ordinal order, gets
/// r = randn(shape) from seed 0, then r·√(2/fan_in) for weights of rank > 1, 1 + 0.1r for other
/// weights, 0.5 + |r| for running variances and 0.1r for the rest. Both sides then compute on the
/// same numbers, so their outputs can be compared as well as their speed.
/// </summary>
public static class SeededWeights
{
    public static void Fill(nn.Module module)
    {
        manual_seed(0);
        using var noGrad = no_grad();
        foreach (var (name, tensor) in module.state_dict().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            using var scope = NewDisposeScope();
            var r = randn(tensor.shape);
            string leaf = name[(name.LastIndexOf('.') + 1)..];
            var value = leaf.StartsWith("weight", StringComparison.Ordinal) && tensor.dim() > 1
                ? r * Math.Sqrt(2.0 / (tensor.numel() / tensor.shape[0]))
                : leaf == "weight" ? 1 + 0.1 * r
                : leaf == "running_var" ? 0.5 + r.abs()
                : 0.1 * r;
            tensor.copy_(value);
        }
    }
}
