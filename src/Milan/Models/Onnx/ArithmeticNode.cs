using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX Add, Sub, Mul or Div with one operand stored in the file (a bias, a scale, a mean image),
/// kept as the buffer <c>constant</c>; numpy broadcasting, as ONNX from opset 7.
/// </summary>
internal sealed class ArithmeticNode : nn.Module<Tensor, Tensor>
{
    // Module.to() replaces registered tensors and updates the field that carries the registered name.
    [ComponentName(Name = "constant")]
    private Tensor _constant;
    private readonly string _operator;
    private readonly bool _constantFirst;

    public ArithmeticNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes();
        _operator = node.OpType;
        _constantFirst = node.IsConstant(0);
        var constant = node.Constant(_constantFirst ? 0 : 1, "constant operand");
        _constant = constant.dtype == ScalarType.Float64 || constant.is_floating_point() ? constant.to(ScalarType.Float32).clone() : constant.clone();
        register_buffer("constant", _constant);
    }

    public override Tensor forward(Tensor x)
    {
        var (a, b) = _constantFirst ? (_constant, x) : (x, _constant);
        return Apply(_operator, a, b);
    }

    public static Tensor Apply(string op, Tensor a, Tensor b) => op switch
    {
        "Add" => a + b,
        "Sub" => a - b,
        "Mul" => a * b,
        "Div" => a / b,
        _ => throw new ArgumentException(op, nameof(op)),
    };
}
