using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// One neuron's exemplars as the encoder reads them: <paramref name="Images"/> (K, 3, S, S) uint8 and
/// <paramref name="Masks"/> (K, 1, S, S) (0/1 or any non-negative weights; they are normalised to sum 1
/// at each feature-map resolution). Tensors stay owned by the caller.
/// </summary>
public sealed record NeuronExemplars(string Layer, int Unit, Tensor Images, Tensor Masks);
