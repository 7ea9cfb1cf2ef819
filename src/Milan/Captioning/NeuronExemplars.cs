using Milan.Annotations;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// One neuron's exemplars as the encoder reads them, on demand: <see cref="ReadImages"/> gives
/// (K, 3, S, S) uint8 and <see cref="ReadMasks"/> (K, 1, S, S) (0/1 or any non-negative weights; they
/// are normalised to sum 1 at each feature-map resolution). The encoder disposes what they return, so
/// a dataset of thousands of neurons is never held in memory at once.
/// </summary>
public sealed record NeuronExemplars(string Layer, int Unit, Func<Tensor> ReadImages, Func<Tensor> ReadMasks)
{
    /// <summary>Exemplars of a MILANNOTATIONS sample, read from its memory-mapped arrays when encoded.</summary>
    public static NeuronExemplars From(TopImagesSample sample) => new(sample.Layer, sample.Unit, sample.ReadImages, sample.ReadMasks);

    /// <summary>Exemplars held in tensors the caller keeps owning (the encoder gets views of them).</summary>
    public static NeuronExemplars FromTensors(string layer, int unit, Tensor images, Tensor masks) =>
        new(layer, unit, () => images.view(images.shape), () => masks.view(masks.shape));
}
