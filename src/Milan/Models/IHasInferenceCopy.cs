using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// A network that can make a copy of itself for forward passes on frozen weights, with batch norms
/// folded into the convolutions before them and channels-last convolution weights: the same outputs
/// up to float rounding, at less cost (docs/models.md, "Inference copies"). The traced module paths
/// keep their meaning. <see cref="SubjectModel"/> and <see cref="Onnx.OnnxNetwork"/> implement it.
/// </summary>
public interface IHasInferenceCopy
{
    /// <summary>The copy (eval mode, same weights and device); the caller disposes it.</summary>
    nn.Module<Tensor, Tensor> InferenceCopy(IEnumerable<string> tracedPaths);

    /// <summary>The inference copy of <paramref name="model"/> if it can make one, else null (run the model itself).</summary>
    static nn.Module<Tensor, Tensor>? Of(nn.Module<Tensor, Tensor> model, IEnumerable<string> tracedPaths) =>
        model is IHasInferenceCopy copyable ? copyable.InferenceCopy(tracedPaths) : null;
}
