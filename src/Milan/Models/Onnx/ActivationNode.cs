using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// Parameter-free operators of one input: Relu, LeakyRelu, Sigmoid, Tanh, Clip, Softmax, and
/// Identity and Dropout (the identity at inference). Each result is a new tensor handle, so the
/// graph can free its input independently.
/// </summary>
internal sealed class ActivationNode : nn.Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> _function;

    private ActivationNode(string name, Func<Tensor, Tensor> function) : base(name) => _function = function;

    public override Tensor forward(Tensor x) => _function(x);

    public static ActivationNode Create(string name, OnnxNode node)
    {
        switch (node.OpType)
        {
            case "Relu":
                node.OnlyAttributes();
                return new(name, x => nn.functional.relu(x));
            case "LeakyRelu":
                node.OnlyAttributes("alpha");
                double slope = node.Float("alpha", 0.01f);
                return new(name, x => nn.functional.leaky_relu(x, slope));
            case "Sigmoid":
                node.OnlyAttributes();
                return new(name, x => x.sigmoid());
            case "Tanh":
                node.OnlyAttributes();
                return new(name, x => x.tanh());
            case "Identity":
                node.OnlyAttributes();
                return new(name, x => x.alias());
            case "Dropout":
                node.OnlyAttributes("ratio", "seed", "is_test");
                if (node.Proto.Output.Count > 1 && node.Proto.Output[1].Length > 0)
                    throw node.Error("Dropout's mask output is used; only the identity at inference is supported");
                return new(name, x => x.alias());
            case "Clip":
                return Clip(name, node);
            case "Softmax":
                return Softmax(name, node);
            default:
                throw new ArgumentException(node.OpType, nameof(node));
        }
    }

    /// <summary>Clip's bounds are attributes before opset 11 and optional stored inputs from it on.</summary>
    private static ActivationNode Clip(string name, OnnxNode node)
    {
        double? min, max;
        if (node.Opset < 11)
        {
            node.OnlyAttributes("min", "max");
            min = node.HasAttribute("min") ? node.Float("min", 0) : null;
            max = node.HasAttribute("max") ? node.Float("max", 0) : null;
        }
        else
        {
            node.OnlyAttributes();
            min = node.HasInput(1) ? node.Constant(1, "min").to(ScalarType.Float64).item<double>() : null;
            max = node.HasInput(2) ? node.Constant(2, "max").to(ScalarType.Float64).item<double>() : null;
        }
        return new(name, x => x.clamp(min, max));
    }

    /// <summary>
    /// Before opset 13, Softmax normalises over all dimensions from <c>axis</c> (default 1) on, as if
    /// the input were flattened to a matrix there; from 13 on, over the one dimension <c>axis</c> (default −1).
    /// </summary>
    private static ActivationNode Softmax(string name, OnnxNode node)
    {
        node.OnlyAttributes("axis");
        if (node.Opset >= 13)
        {
            long axis = node.Int("axis", -1);
            return new(name, x => nn.functional.softmax(x, axis));
        }
        long from = node.Int("axis", 1);
        return new(name, x =>
        {
            long a = from < 0 ? from + x.dim() : from;
            long rows = x.shape.Take((int)a).Aggregate(1L, (p, d) => p * d);
            return nn.functional.softmax(x.reshape(rows, -1), 1).reshape(x.shape);
        });
    }
}
