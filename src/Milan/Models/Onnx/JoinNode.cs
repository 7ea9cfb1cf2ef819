using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// An operator of several computed inputs: Add, Sub, Mul, Div, MatMul of two graph values, or
/// Concat. The graph computes it with <see cref="Combine"/> and passes the result through
/// <see cref="forward"/>, the identity, so that forward hooks (tracing, ablation) see its output
/// as they see any single-input layer's.
/// </summary>
internal sealed class JoinNode : nn.Module<Tensor, Tensor>
{
    private readonly string _operator;
    private readonly long _axis;

    public JoinNode(string name, OnnxNode node, int inputs) : base(name)
    {
        _operator = node.OpType;
        if (_operator == "Concat")
        {
            node.OnlyAttributes("axis");
            if (!node.HasAttribute("axis")) throw node.Error("axis is missing");
            _axis = node.Int("axis", 1);
            if (node.Proto.Input.Count(i => i.Length > 0) != inputs) throw node.Error("inputs stored in the file are not supported; every input must be computed");
        }
        else
        {
            node.OnlyAttributes();
            if (inputs != 2) throw node.Error($"expected 2 inputs, got {inputs}");
        }
    }

    public Tensor Combine(IReadOnlyList<Tensor> inputs) => _operator switch
    {
        "Concat" => cat(inputs.ToArray(), _axis),
        "MatMul" => inputs[0].matmul(inputs[1]),
        _ => ArithmeticNode.Apply(_operator, inputs[0], inputs[1]),
    };

    public override Tensor forward(Tensor combined) => combined;
}
