using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX Gemm, α·A'·B' + β·C, with B (and C) stored in the file: kept as torch Linear's <c>weight</c>
/// (out × in, B transposed when transB = 0) and <c>bias</c>, so a classifier's last layer reads as
/// torchvision's <c>fc.weight</c> / <c>fc.bias</c>.
/// </summary>
internal sealed class GemmNode : nn.Module<Tensor, Tensor>
{
    // Module.to() replaces registered tensors and updates the field that carries the registered name.
    [ComponentName(Name = "weight")]
    private Parameter _weight;
    [ComponentName(Name = "bias")]
    private Parameter? _bias;
    private readonly float _alpha;
    private readonly float _beta;
    private readonly bool _transposeA;

    public GemmNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes("alpha", "beta", "transA", "transB", "broadcast");
        var b = node.Constant(1, "B");
        if (b.dim() != 2) throw node.Error($"B of rank {b.dim()}; expected a matrix");
        _weight = new Parameter((node.Int("transB", 0) != 0 ? b : b.t()).to(ScalarType.Float32).contiguous().clone());
        register_parameter("weight", _weight);
        if (node.HasInput(2))
        {
            var c = node.Constant(2, "C");
            if (c.dim() > 2) throw node.Error($"C of rank {c.dim()}; expected at most a matrix");
            _bias = new Parameter(c.to(ScalarType.Float32).clone());
            register_parameter("bias", _bias);
        }
        _alpha = node.Float("alpha", 1f);
        _beta = node.Float("beta", 1f);
        _transposeA = node.Int("transA", 0) != 0;
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 2) throw new MilanInputException($"{GetName()}: Gemm needs a matrix input; got shape [{string.Join(",", x.shape)}]");
        var a = _transposeA ? x.t() : x;
        // The common case (a torch Linear exported) is exactly torch's linear.
        if (_alpha == 1f && _beta == 1f && _bias is { } b && b.dim() == 1) return nn.functional.linear(a, _weight, b);
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(a, _weight, null);
        if (_alpha != 1f) y = y * _alpha;
        if (_bias is not null) y = y + (_beta == 1f ? _bias : _bias * _beta);
        return y.MoveToOuterDisposeScope();
    }
}
