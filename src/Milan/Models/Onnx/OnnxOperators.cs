using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// The ONNX operators the importer builds, and the module each becomes. Anything else is one input
/// error naming the operator, the node and the file.
/// </summary>
internal static class OnnxOperators
{
    private static readonly string[] Activations = ["Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Softmax", "Identity", "Dropout"];
    private static readonly string[] Arithmetic = ["Add", "Sub", "Mul", "Div"];

    /// <summary>Every supported operator type (default ONNX domain); Constant, and Identity of a stored tensor, are folded at import.</summary>
    public static IReadOnlyList<string> Supported { get; } =
    [
        "Conv", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul",
        "Flatten", "Reshape", "Concat", "Pad", "Split", .. Arithmetic, .. Activations, "Constant",
    ];

    /// <summary>
    /// The module for <paramref name="node"/>, registered later under <paramref name="name"/>.
    /// <paramref name="exportedBatch"/> is the graph input's fixed batch size, if any (see <see cref="ReshapeNode"/>).
    /// </summary>
    public static nn.Module Create(OnnxNode node, string name, long? exportedBatch)
    {
        if (node.Proto.Domain is not ("" or "ai.onnx") || !Supported.Contains(node.OpType) || node.OpType == "Constant")
            throw MilanInputException.InFile(node.Path,
                $"operator '{Qualified(node)}' (node '{node.Label}') is not supported; the importer builds {string.Join(", ", Supported)}");
        int computed = node.ComputedInputs().Count;
        if (node.OpType == "Concat" || (computed == 2 && (Arithmetic.Contains(node.OpType) || node.OpType == "MatMul")))
            return new JoinNode(name, node, computed);
        if (computed != 1)
            throw node.Error($"{computed} inputs are computed by the graph; expected one (the others stored in the file)");
        if (Activations.Contains(node.OpType)) return ActivationNode.Create(name, node);
        if (Arithmetic.Contains(node.OpType)) return new ArithmeticNode(name, node);
        return node.OpType switch
        {
            "Conv" => new ConvNode(name, node),
            "BatchNormalization" => new BatchNormNode(name, node),
            "MaxPool" => new MaxPoolNode(name, node),
            "AveragePool" => new AveragePoolNode(name, node),
            "GlobalAveragePool" or "GlobalMaxPool" => new GlobalPoolNode(name, node),
            "Gemm" => new GemmNode(name, node),
            "MatMul" => new MatMulNode(name, node),
            "Flatten" or "Reshape" => new ReshapeNode(name, node, exportedBatch),
            "Pad" => new PadNode(name, node),
            "Split" => new SplitNode(name, node),
            _ => throw new InvalidOperationException(node.OpType),
        };
    }

    private static string Qualified(OnnxNode node) =>
        node.Proto.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Proto.Domain}.{node.OpType}";
}
