namespace Milan.Models.Onnx;

/// <summary>
/// Recognises a ResNet in an imported graph and arranges its nodes under torchvision's module names,
/// so that <c>conv1</c> and <c>layer1</c>..<c>layer4</c> (and <c>layer2.0.downsample.0</c>, ...) mean
/// what they mean for torchvision's models:
/// a stem Conv → [BatchNormalization] → Relu → MaxPool (<c>conv1, bn1, relu, maxpool</c>); then
/// residual blocks, each a main branch of 2 (BasicBlock) or 3 (Bottleneck) Conv → [BatchNormalization]
/// separated by Relu, a shortcut that is the block input or a Conv → [BatchNormalization]
/// (<c>downsample.0, .1</c>), an Add and a Relu; a new stage starts at a block with a strided
/// convolution, and there must be four; then a head (<c>avgpool</c>, <c>flatten</c>, <c>fc</c>, other
/// nodes under their ONNX names). Batch norms are optional because exporters often fold them into the
/// convolutions. Inside a block the ReLUs between convolutions are <c>relu1</c>, <c>relu2</c>, the sum
/// is <c>add</c> and the block's output ReLU is <c>relu</c> (torchvision calls one shared ReLU module
/// for all three; its last call is the block output, as here). Any other graph stays flat under its
/// ONNX node names.
/// </summary>
internal static class ResNetLayout
{
    /// <summary>The arranged network: top-level steps, blocks per stage, and whether the blocks are Bottlenecks.</summary>
    public sealed record Arrangement(IReadOnlyList<GraphStep> Steps, int[] Blocks, bool Bottleneck);

    private sealed record Block(List<(string Name, BuiltNode Node)> Main, List<(string Name, BuiltNode Node)> Downsample,
                                string Input, string Output, bool Strided, bool Bottleneck);

    public static Arrangement? Arrange(OnnxGraph graph)
    {
        var consumers = graph.Nodes
            .SelectMany(n => n.Inputs.Distinct().Select(v => (Value: v, Node: n)))
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Node).ToList(), StringComparer.Ordinal);
        BuiltNode? Next(string value, string op) =>
            consumers.TryGetValue(value, out var list) && list.Count == 1 && list[0].OpType == op ? list[0] : null;
        IReadOnlyList<BuiltNode> All(string value) => consumers.TryGetValue(value, out var list) ? list : [];

        // Stem.
        var stem = new List<(string Name, BuiltNode Node)>();
        if (Next(graph.Input, "Conv") is not { } conv1) return null;
        stem.Add(("conv1", conv1));
        string value = conv1.Outputs[0];
        if (Next(value, "BatchNormalization") is { } bn1)
        {
            stem.Add(("bn1", bn1));
            value = bn1.Outputs[0];
        }
        if (Next(value, "Relu") is not { } relu) return null;
        stem.Add(("relu", relu));
        var pools = All(relu.Outputs[0]);
        if (pools.Count != 1 || pools[0].OpType != "MaxPool") return null;
        stem.Add(("maxpool", pools[0]));
        value = pools[0].Outputs[0];

        // Residual blocks, then stages.
        var blocks = new List<Block>();
        while (ReadBlock(value, All, Next) is { } block)
        {
            blocks.Add(block);
            value = block.Output;
        }
        if (blocks.Count == 0 || blocks.Any(b => b.Bottleneck != blocks[0].Bottleneck)) return null;
        var stages = new List<List<Block>>();
        foreach (var block in blocks)
        {
            if (stages.Count == 0 || block.Strided) stages.Add([]);
            stages[^1].Add(block);
        }
        if (stages.Count != 4) return null;

        // Head: every remaining node, reading only the last block's output or earlier head outputs.
        var placed = stem.Select(s => s.Node).Concat(blocks.SelectMany(b => b.Main.Concat(b.Downsample).Select(s => s.Node))).ToHashSet();
        var available = new HashSet<string>(StringComparer.Ordinal) { value };
        var head = new List<GraphStep>();
        var taken = new HashSet<string>(StringComparer.Ordinal) { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4" };
        foreach (var node in graph.Nodes.Where(n => !placed.Contains(n)))
        {
            if (!node.Inputs.All(available.Contains)) return null;
            string? known = HeadName(node.OpType);
            string name = known is not null && !taken.Contains(known) ? known : node.Name;
            if (!taken.Add(name)) return null; // an ONNX name that clashes with a torchvision one: keep the graph flat
            head.Add(node.Step(name));
            foreach (var output in node.Outputs) available.Add(output);
        }
        if (!available.Contains(graph.Output)) return null;

        var steps = stem.Select(s => s.Node.Step(s.Name)).ToList();
        for (int s = 0; s < stages.Count; s++) steps.Add(Stage($"layer{s + 1}", stages[s]));
        steps.AddRange(head);
        return new Arrangement(steps, stages.Select(s => s.Count).ToArray(), blocks[0].Bottleneck);
    }

    private static string? HeadName(string op) => op switch
    {
        "AveragePool" or "GlobalAveragePool" => "avgpool",
        "Flatten" or "Reshape" => "flatten",
        "Gemm" or "MatMul" => "fc",
        _ => null,
    };

    /// <summary>The residual block that starts at <paramref name="input"/>, or null when there is none.</summary>
    private static Block? ReadBlock(string input, Func<string, IReadOnlyList<BuiltNode>> all, Func<string, string, BuiltNode?> next)
    {
        var starts = all(input);
        if (starts.Count != 2) return null;
        var add = starts.FirstOrDefault(n => n.OpType == "Add");
        var branches = starts.Where(n => n.OpType == "Conv").Select(n => ReadBranch(n, next)).ToList();
        if (branches.Any(b => b is null)) return null;
        var main = branches.OrderByDescending(b => b!.Convolutions).FirstOrDefault();
        if (main is null || main.Convolutions is not (2 or 3)) return null;
        var shortcut = add is not null ? null : branches.FirstOrDefault(b => !ReferenceEquals(b, main));
        if (add is null && (shortcut is null || shortcut.Convolutions != 1 || shortcut.HasRelu)) return null;
        add ??= main.End;
        if (!ReferenceEquals(main.End, add) || (shortcut is not null && !ReferenceEquals(shortcut.End, add))) return null;
        if (add.Inputs.Count != 2) return null;
        if (next(add.Outputs[0], "Relu") is not { } output) return null;

        var names = new List<(string, BuiltNode)>();
        int convs = 0, norms = 0, relus = 0;
        foreach (var node in main.Nodes)
        {
            names.Add(node.OpType switch
            {
                "Conv" => ($"conv{++convs}", node),
                "BatchNormalization" => ($"bn{++norms}", node),
                _ => ($"relu{++relus}", node),
            });
        }
        names.Add(("add", add));
        names.Add(("relu", output));
        var downsample = shortcut?.Nodes.Select((n, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), n)).ToList() ?? [];
        bool strided = main.Nodes.Concat(shortcut?.Nodes ?? []).Any(n => n.Module is ConvNode { Window.Downsamples: true });
        return new Block(names, downsample, input, output.Outputs[0], strided, main.Convolutions == 3);
    }

    private sealed record BranchPath(List<BuiltNode> Nodes, BuiltNode End, int Convolutions, bool HasRelu);

    /// <summary>Conv → [BatchNormalization] (→ Relu → Conv → [BatchNormalization])* up to an Add, each node the only reader of the one before.</summary>
    private static BranchPath? ReadBranch(BuiltNode start, Func<string, string, BuiltNode?> next)
    {
        var nodes = new List<BuiltNode>();
        var node = start;
        int convs = 0;
        bool relu = false;
        while (true)
        {
            if (node.OpType != "Conv") return null;
            nodes.Add(node);
            convs++;
            string value = node.Outputs[0];
            if (next(value, "BatchNormalization") is { } bn)
            {
                nodes.Add(bn);
                value = bn.Outputs[0];
            }
            if (next(value, "Add") is { } add) return new BranchPath(nodes, add, convs, relu);
            if (next(value, "Relu") is not { } r) return null;
            nodes.Add(r);
            relu = true;
            if (next(r.Outputs[0], "Conv") is not { } following) return null;
            node = following;
        }
    }

    private static GraphStep Stage(string name, List<Block> blocks)
    {
        var steps = blocks.Select((b, i) => new GraphStep(i.ToString(System.Globalization.CultureInfo.InvariantCulture), BlockSegment(b), [b.Input], [b.Output])).ToList();
        return new GraphStep(name, new GraphSegment("Stage", blocks[0].Input, blocks[^1].Output, steps), [blocks[0].Input], [blocks[^1].Output]);
    }

    /// <summary>A block's steps in the file's order, the shortcut's nodes grouped as the <c>downsample</c> segment where its first node was.</summary>
    private static GraphSegment BlockSegment(Block block)
    {
        var steps = block.Main.Select(m => (m.Node.Index, Step: m.Node.Step(m.Name))).ToList();
        if (block.Downsample.Count > 0)
        {
            var inner = block.Downsample.Select(d => d.Node.Step(d.Name)).ToList();
            string output = block.Downsample[^1].Node.Outputs[0];
            var segment = new GraphSegment("Downsample", block.Input, output, inner);
            steps.Add((block.Downsample[0].Node.Index, new GraphStep("downsample", segment, [block.Input], [output])));
        }
        return new GraphSegment(block.Bottleneck ? "Bottleneck" : "BasicBlock", block.Input, block.Output,
                                steps.OrderBy(s => s.Index).Select(s => s.Step).ToList());
    }
}
