using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>One built node: its index in the file, ONNX operator, module name, module, and the graph values it reads and writes.</summary>
internal sealed record BuiltNode(int Index, string OpType, string Name, nn.Module Module, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)
{
    public GraphStep Step(string name) => new(name, Module, Inputs, Outputs);
}
