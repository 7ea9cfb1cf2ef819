using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>ONNX MatMul by a matrix stored in the file, x·B, kept as a Linear <c>weight</c> (Bᵀ, out × in).</summary>
internal sealed class MatMulNode : nn.Module<Tensor, Tensor>
{
    // Module.to() replaces registered tensors and updates the field that carries the registered name.
    [ComponentName(Name = "weight")]
    private Parameter _weight;

    public MatMulNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes();
        var b = node.Constant(1, "B");
        if (b.dim() != 2) throw node.Error($"a constant B of rank {b.dim()} is not supported; expected a matrix");
        _weight = new Parameter(b.t().to(ScalarType.Float32).contiguous().clone());
        register_parameter("weight", _weight);
    }

    public override Tensor forward(Tensor x) => nn.functional.linear(x, _weight, null);
}
