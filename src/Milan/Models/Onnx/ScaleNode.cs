using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// Multiplies by a fixed factor. Leads a preprocessing graph that expects pixel values 0..255: the
/// library feeds bytes / 255 (<see cref="Datasets.ImageNormalization.UnitRange"/>), and in float32
/// (b / 255) · 255 gives every byte value b back exactly.
/// </summary>
internal sealed class ScaleNode(string name, float factor) : nn.Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor x) => x * factor;
}
