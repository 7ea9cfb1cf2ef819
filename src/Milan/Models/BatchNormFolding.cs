using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Folds eval-mode batch norms into the convolutions before them, for inference on frozen weights:
/// with s = γ/√(σ² + ε), a convolution's weight becomes w·s (per output channel) and its bias
/// (b − μ)·s + β (b = 0 without a bias), so conv' = bn(conv) up to float rounding and the batch
/// norm's own pass over the activations disappears. A pair is folded only where the predicate allows
/// both module paths (traced modules keep their meaning); the batch norm module stays registered, and
/// the model stops calling it (<see cref="Apply"/>). Records which convolutions now carry a norm.
/// </summary>
internal sealed class BatchNormFolding(Func<string, bool> foldable)
{
    private readonly HashSet<string> _folded = new(StringComparer.Ordinal);

    /// <summary>Module paths of the convolutions that a batch norm was folded into.</summary>
    public IReadOnlySet<string> FoldedConvolutions => _folded;

    /// <summary>
    /// Folds <paramref name="norm"/> into <paramref name="convolution"/> unless it is already folded (null)
    /// or either path is refused; returns the norm the model should still apply: null when folded.
    /// </summary>
    public BatchNorm2d? Fold(Conv2d convolution, BatchNorm2d? norm, string convolutionPath, string normPath)
    {
        if (norm is null || !foldable(convolutionPath) || !foldable(normPath)) return norm;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mean = norm.running_mean ?? throw new InvalidOperationException($"{normPath}: a batch norm without running statistics cannot be folded");
        var scale = (norm.running_var! + norm.eps).rsqrt();
        if (norm.weight is { } gamma) scale = scale * gamma;
        var bias = (convolution.bias is { } b ? b - mean : -mean) * scale;
        if (norm.bias is { } beta) bias = bias + beta;
        var weight = convolution.weight * scale.reshape(-1, 1, 1, 1);
        convolution.weight = new Parameter(weight.detach().contiguous(), requires_grad: false);
        convolution.bias = new Parameter(bias.detach().contiguous(), requires_grad: false);
        _folded.Add(convolutionPath);
        return null;
    }

    /// <summary>The batch norm's output, or the input itself once the norm has been folded away (null).</summary>
    public static Tensor Apply(BatchNorm2d? norm, Tensor input) => norm is null ? input : norm.call(input);
}
