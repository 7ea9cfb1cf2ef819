using Milan.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// A network imported from an ONNX file and rebuilt from TorchSharp modules, one per ONNX node
/// (<see cref="OnnxOperators"/>), so every layer can be traced (<see cref="LayerTrace"/>) and ablated
/// (<see cref="UnitAblation"/>) by its module path. A recognised ResNet carries torchvision's names
/// (<see cref="ResNetLayout"/>); any other graph its ONNX node names. The input is images normalised
/// with <see cref="Normalization"/>; a preprocessing graph, when there is one, runs first as the
/// module <c>preprocess</c>. Built in eval mode, on the CPU unless a device is given.
/// </summary>
public sealed class OnnxNetwork : GraphSegment, IHasInferenceCopy
{
    /// <summary>The name of the module that runs an imported preprocessing graph.</summary>
    public const string PreprocessModule = "preprocess";

    private const string ImageValue = "milan:image";

    private OnnxNetwork(string input, string output, IReadOnlyList<GraphStep> steps) : base("OnnxNetwork", input, output, steps) { }

    /// <summary>The model file.</summary>
    public string Path { get; private init; } = "";

    /// <summary>The preprocessing graph that runs first, if any.</summary>
    public string? PreprocessPath { get; private init; }

    /// <summary>How image bytes become this network's input (<see cref="ImageNormalization.UnitRange"/> when a preprocessing graph does the rest).</summary>
    public ImageNormalization Normalization { get; private init; } = ImageNormalization.ImageNet;

    /// <summary>Blocks per stage when the graph was recognised as a ResNet (named as torchvision's), else null.</summary>
    public IReadOnlyList<int>? ResNetBlocks { get; private init; }

    /// <summary>Whether a recognised ResNet has Bottleneck blocks (three convolutions) rather than BasicBlocks.</summary>
    public bool Bottleneck { get; private init; }

    /// <summary>The square side the graph's input declares, or null when it is symbolic or not square.</summary>
    public int? DeclaredImageSize { get; private init; }

    /// <summary>The layers MILAN describes by default: <c>conv1</c>, <c>layer1</c>..<c>layer4</c> for a recognised ResNet; none otherwise.</summary>
    public IReadOnlyList<string> DefaultLayerNames => ResNetBlocks is null ? [] : ["conv1", "layer1", "layer2", "layer3", "layer4"];

    /// <summary>Every module path that maps one tensor to one tensor, i.e. can be traced and ablated, in running order.</summary>
    public IReadOnlyList<string> LayerPaths =>
        named_modules().Where(m => m.name.Length > 0 && m.module is nn.Module<Tensor, Tensor>).Select(m => m.name).ToList();

    /// <summary>One line saying what this is: file, recognised architecture, input transform.</summary>
    public string Description
    {
        get
        {
            string layout = ResNetBlocks is { } blocks
                ? $"ResNet [{string.Join(",", blocks)}] of {(Bottleneck ? "Bottleneck" : "BasicBlock")}s, torchvision names"
                : "ONNX node names";
            string input = PreprocessPath is { } p ? $"preprocessing graph {p}" : $"mean [{string.Join(", ", Normalization.Mean)}], std [{string.Join(", ", Normalization.Std)}]";
            return $"ONNX {Path} ({layout}; input: {input})";
        }
    }

    /// <summary>Imports <paramref name="path"/>; see <see cref="OnnxImportOptions"/> for the input transform.</summary>
    public static OnnxNetwork Load(string path, OnnxImportOptions? options = null, Device? device = null)
    {
        options ??= new OnnxImportOptions();
        path = System.IO.Path.GetFullPath(path);
        string? preprocessPath = options.Preprocess is { } given ? System.IO.Path.GetFullPath(given)
            : options.FindCompanion ? CompanionPreprocessing.Find(path) : null;

        var graph = OnnxGraph.Build(OnnxModelFile.Read(path), path);
        var arrangement = ResNetLayout.Arrange(graph);
        var steps = arrangement?.Steps.ToList() ?? graph.Nodes.Select(n => n.Step(n.Name)).ToList();
        string input = graph.Input;
        if (preprocessPath is not null)
        {
            steps.Insert(0, new GraphStep(PreprocessModule, Preprocessing(preprocessPath), [ImageValue], [graph.Input]));
            input = ImageValue;
        }
        long[] shape = graph.InputShape;
        var network = new OnnxNetwork(input, graph.Output, steps)
        {
            Path = path,
            PreprocessPath = preprocessPath,
            Normalization = preprocessPath is null ? options.Normalization : ImageNormalization.UnitRange,
            ResNetBlocks = arrangement?.Blocks,
            Bottleneck = arrangement?.Bottleneck ?? false,
            DeclaredImageSize = shape[2] > 0 && shape[2] == shape[3] ? (int)shape[2] : null,
        };
        network.eval();
        if (device is not null) network.to(device);
        return network;
    }

    /// <summary>
    /// A copy for forward passes on frozen weights (<see cref="IHasInferenceCopy"/>): the graph read again
    /// from <see cref="Path"/> (with the same input transform), this network's current weights copied
    /// in, every Conv → BatchNormalization pair folded into the Conv (unless either is one of
    /// <paramref name="tracedPaths"/>; a traced <c>conv1</c> stays the raw convolution) and the
    /// convolution weights stored channels-last. The caller disposes the copy.
    /// </summary>
    public nn.Module<Tensor, Tensor> InferenceCopy(IEnumerable<string> tracedPaths)
    {
        var traced = tracedPaths.ToHashSet(StringComparer.Ordinal);
        var device = parameters().Select(p => p.device).FirstOrDefault() ?? CPU;
        var options = new OnnxImportOptions { Preprocess = PreprocessPath, FindCompanion = false, Normalization = Normalization };
        var copy = Load(Path, options, device);
        try
        {
            var source = state_dict();
            using (no_grad())
            {
                foreach (var (name, tensor) in copy.state_dict())
                    tensor.copy_(source.TryGetValue(name, out var value) ? value
                        : throw MilanInputException.InFile(Path, $"the file no longer holds the network that was imported from it ('{name}' is new)"));
            }
            copy.FoldBatchNorms(path => !traced.Contains(path), "");
            foreach (var convolution in copy.modules().OfType<ConvNode>()) convolution.UseChannelsLast();
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>The channels and map side of each of <paramref name="layers"/> for square images of <paramref name="imageSize"/> px, from one blank image.</summary>
    public IReadOnlyList<TracedLayer> Describe(IReadOnlyList<string> layers, int imageSize)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = parameters().FirstOrDefault()?.device ?? CPU;
        using var trace = LayerTrace.Attach(this, layers.ToArray());
        var outputs = trace.Run(zeros(1, 3, imageSize, imageSize, device: device));
        return layers.Select(l =>
        {
            var shape = outputs[l].shape;
            return new TracedLayer(l, l, shape.Length > 1 ? (int)shape[1] : 1, shape.Length > 2 ? (int)shape[2] : 1);
        }).ToList();
    }

    /// <summary>
    /// Runs one blank image of <paramref name="imageSize"/> px through the network; a size its fixed
    /// shapes (a mean image, a Reshape) do not allow is an input error naming the file.
    /// </summary>
    public void CheckRuns(int imageSize)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = parameters().FirstOrDefault()?.device ?? CPU;
        try
        {
            call(zeros(1, 3, imageSize, imageSize, device: device));
        }
        catch (Exception e) when (e is not MilanInputException)
        {
            string declared = DeclaredImageSize is { } size ? $"; the graph declares {size} px" : "";
            throw MilanInputException.InFile(Path, $"the network does not run on {imageSize} px images{declared} ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The preprocessing graph as one flat segment, led by the scaling of bytes / 255 back to 0..255.</summary>
    private static GraphSegment Preprocessing(string path)
    {
        var graph = OnnxGraph.Build(OnnxModelFile.Read(path), path);
        var steps = new List<GraphStep> { new("scale", new ScaleNode("Scale", 255f), [ImageValue], [graph.Input]) };
        steps.AddRange(graph.Nodes.Select(n => n.Step(n.Name)));
        return new GraphSegment("Preprocess", ImageValue, graph.Output, steps);
    }
}
