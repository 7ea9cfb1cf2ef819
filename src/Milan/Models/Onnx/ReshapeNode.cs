using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX Flatten (to a matrix at <c>axis</c>) and Reshape (to a stored shape; 0 copies a dimension,
/// −1 infers one). Images are run in batches, while many exports fix the batch at 1: a Reshape whose
/// target starts with the exported batch size keeps the batch dimension of its input instead.
/// </summary>
internal sealed class ReshapeNode : nn.Module<Tensor, Tensor>
{
    private readonly long? _flattenAxis;
    private readonly long[] _shape = [];
    private readonly bool _allowZero;

    public ReshapeNode(string name, OnnxNode node, long? exportedBatch) : base(name)
    {
        if (node.OpType == "Flatten")
        {
            node.OnlyAttributes("axis");
            _flattenAxis = node.Int("axis", 1);
            return;
        }
        node.OnlyAttributes("allowzero", "shape");
        _allowZero = node.Int("allowzero", 0) != 0;
        _shape = node.Opset < 5 ? node.Ints("shape") ?? throw node.Error("shape attribute missing") : node.ConstantInts(1, "shape");
        if (_shape.Count(s => s == -1) > 1) throw node.Error($"shape [{string.Join(",", _shape)}] infers more than one dimension");
        if (exportedBatch is { } batch && _shape.Length > 0 && _shape[0] == batch && !_allowZero)
            _shape[0] = 0;
    }

    public override Tensor forward(Tensor x)
    {
        if (_flattenAxis is { } axis)
        {
            long a = axis < 0 ? axis + x.dim() : axis;
            long rows = x.shape.Take((int)a).Aggregate(1L, (p, d) => p * d);
            return x.reshape(rows, -1);
        }
        var shape = _shape.Select((s, i) => s == 0 && !_allowZero ? x.shape[i] : s).ToArray();
        return x.reshape(shape);
    }
}
