using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Folds an eval-mode batch norm into the convolution before it, for inference on frozen weights:
/// with s = γ/√(σ² + ε), the convolution's weight becomes w·s (per output channel) and its bias
/// (b − μ)·s + β (b = 0 without a bias), so conv' = bn(conv) up to float rounding and the batch
/// norm's own pass over the activations disappears. The batch norm module is left as it was (the
/// caller stops calling it).
/// </summary>
internal static class BatchNormFolding
{
    public static void Fold(Conv2d convolution, BatchNorm2d norm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mean = norm.running_mean ?? throw new InvalidOperationException("batch norm without running statistics cannot be folded");
        var variance = norm.running_var!;
        var scale = (variance + norm.eps).rsqrt();
        if (norm.weight is { } gamma) scale = scale * gamma;
        var bias = convolution.bias is { } b ? b - mean : -mean;
        bias = bias * scale;
        if (norm.bias is { } beta) bias = bias + beta;
        var weight = convolution.weight * scale.reshape(-1, 1, 1, 1);
        convolution.weight = new Parameter(weight.detach().contiguous(), requires_grad: false);
        convolution.bias = new Parameter(bias.detach().contiguous(), requires_grad: false);
    }

    /// <summary>
    /// Folds <paramref name="norm"/> into <paramref name="convolution"/> unless it is already folded
    /// (null) or <paramref name="foldable"/> refuses either module path (e.g. because it is traced);
    /// returns the norm the caller should still apply: null when folded.
    /// </summary>
    public static BatchNorm2d? FoldIfAllowed(Conv2d convolution, BatchNorm2d? norm, string convolutionPath, string normPath, Func<string, bool> foldable)
    {
        if (norm is null || !foldable(convolutionPath) || !foldable(normPath)) return norm;
        Fold(convolution, norm);
        return null;
    }

    /// <summary>The batch norm's output, or the input itself once the norm has been folded away (null).</summary>
    public static Tensor Apply(BatchNorm2d? norm, Tensor input) => norm is null ? input : norm.call(input);
}
