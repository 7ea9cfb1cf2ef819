using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// One step of a <see cref="GraphSegment"/>: a module registered under <paramref name="Name"/> (a node
/// of the ONNX graph, or a nested segment) with the names of the graph values it reads and writes.
/// </summary>
internal sealed record GraphStep(string Name, nn.Module Module, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);
