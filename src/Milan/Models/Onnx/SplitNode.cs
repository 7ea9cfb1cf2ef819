using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX Split into several outputs along <c>axis</c>: sizes from the <c>split</c> attribute (before
/// opset 13) or a stored input, else equal parts. It has several outputs, so it cannot be traced or
/// ablated as a layer (the nodes that use its parts can).
/// </summary>
internal sealed class SplitNode : nn.Module
{
    private readonly long _axis;
    private readonly long[]? _sizes;
    private readonly int _outputs;

    public SplitNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes("axis", "split", "num_outputs");
        _axis = node.Int("axis", 0);
        _outputs = node.Proto.Output.Count;
        _sizes = node.Opset < 13 ? node.Ints("split") : node.HasInput(1) ? node.ConstantInts(1, "split") : null;
        if (_sizes is not null && _sizes.Length != _outputs)
            throw node.Error($"split lists {_sizes.Length} sizes for {_outputs} outputs");
    }

    public Tensor[] Split(Tensor x)
    {
        if (_sizes is not null) return x.split(_sizes, _axis);
        long length = x.shape[_axis < 0 ? _axis + x.dim() : _axis];
        if (length % _outputs != 0)
            throw new MilanInputException($"{GetName()}: cannot split {length} entries into {_outputs} equal parts");
        return x.split(length / _outputs, _axis);
    }
}
