using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// An ONNX graph turned into modules: one <see cref="BuiltNode"/> per node in the file's
/// (topological) order, with constants (initializers, Constant nodes) moved into the modules that
/// use them, and the single image input and single output the network runs between.
/// </summary>
internal sealed partial class OnnxGraph
{
    private OnnxGraph(string input, long[] inputShape, string output, IReadOnlyList<BuiltNode> nodes)
    {
        Input = input;
        InputShape = inputShape;
        Output = output;
        Nodes = nodes;
    }

    /// <summary>The graph input's value name.</summary>
    public string Input { get; }

    /// <summary>The declared input shape; −1 where a dimension is symbolic.</summary>
    public long[] InputShape { get; }

    public string Output { get; }

    public IReadOnlyList<BuiltNode> Nodes { get; }

    public static OnnxGraph Build(ModelProto model, string path)
    {
        long opset = OnnxModelFile.Opset(model, path);
        var graph = model.Graph;
        var constants = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var nodes = new List<BuiltNode>();
        try
        {
            foreach (var initializer in graph.Initializer)
            {
                if (!constants.TryAdd(initializer.Name, OnnxTensors.ToTensor(initializer, path)))
                    throw MilanInputException.InFile(path, $"initializer '{initializer.Name}' appears twice");
            }
            // Before IR version 4, initializers were also listed as graph inputs.
            var inputs = graph.Input.Where(i => !constants.ContainsKey(i.Name)).ToList();
            if (inputs.Count != 1)
                throw MilanInputException.InFile(path, $"the graph has {inputs.Count} inputs besides its initializers ({string.Join(", ", inputs.Select(i => i.Name))}); expected one image input");
            if (graph.Output.Count != 1)
                throw MilanInputException.InFile(path, $"the graph has {graph.Output.Count} outputs ({string.Join(", ", graph.Output.Select(o => o.Name))}); expected one");
            var input = inputs[0];
            var shape = input.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : -1).ToArray() ?? [];
            if (shape.Length != 4)
                throw MilanInputException.InFile(path, $"input '{input.Name}' has rank {shape.Length}; expected images (batch, channels, height, width)");
            long? exportedBatch = shape[0] > 0 ? shape[0] : null;

            var computed = new HashSet<string>(StringComparer.Ordinal) { input.Name };
            // Extra outputs (MaxPool's indices, Dropout's mask, training BatchNormalization's statistics) are not built.
            var unbuilt = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < graph.Node.Count; i++)
            {
                var node = new OnnxNode(graph.Node[i], i, opset, constants, path);
                if (node.OpType == "Constant" && node.Proto.Domain is "" or "ai.onnx")
                {
                    node.OnlyAttributes("value");
                    var value = node.TensorAttribute("value") ?? throw node.Error("only the tensor form 'value' of Constant is supported");
                    constants[node.Proto.Output[0]] = value;
                    continue;
                }
                // PyTorch's exporter copies shared initializers through Identity nodes; those are constants too.
                if (node.OpType == "Identity" && node.IsConstant(0))
                {
                    constants[node.Proto.Output[0]] = constants[node.Proto.Input[0]].alias();
                    continue;
                }
                foreach (var used in node.ComputedInputs().Where(v => !computed.Contains(v)))
                {
                    if (unbuilt.TryGetValue(used, out var producer))
                        throw producer.Error($"its output '{used}' is used, but the importer computes only its first output");
                    throw node.Error($"input '{used}' is neither computed by an earlier node nor stored in the file (the graph must be in topological order)");
                }
                string name = UniqueName(ModuleName(node), names);
                var module = OnnxOperators.Create(node, name, exportedBatch);
                var outputs = module is SplitNode ? node.Proto.Output.ToArray() : [node.Proto.Output[0]];
                nodes.Add(new BuiltNode(node.Index, node.OpType, name, module, node.ComputedInputs().ToArray(), outputs));
                foreach (var value in outputs) computed.Add(value);
                foreach (var value in node.Proto.Output.Except(outputs).Where(o => o.Length > 0)) unbuilt[value] = node;
            }
            string output = graph.Output[0].Name;
            if (unbuilt.TryGetValue(output, out var last))
                throw last.Error($"its output '{output}' is the graph's output, but the importer computes only its first output");
            if (!computed.Contains(output))
                throw MilanInputException.InFile(path, $"output '{output}' is not computed by any node");
            return new OnnxGraph(input.Name, shape, output, nodes);
        }
        catch
        {
            foreach (var node in nodes) node.Module.Dispose();
            throw;
        }
        finally
        {
            foreach (var constant in constants.Values) constant.Dispose();
        }
    }

    /// <summary>A readable module name from the node's ONNX name: dots separate module paths, so they and other punctuation become '_'.</summary>
    private static string ModuleName(OnnxNode node)
    {
        string name = NotAllowed().Replace(node.Proto.Name, "_").Trim('_');
        return name.Length > 0 ? name : $"{node.OpType.ToLowerInvariant()}_{node.Index}";
    }

    private static string UniqueName(string name, HashSet<string> taken)
    {
        string unique = name;
        for (int i = 2; !taken.Add(unique); i++) unique = $"{name}_{i}";
        return unique;
    }

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotAllowed();
}
