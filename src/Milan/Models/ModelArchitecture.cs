namespace Milan.Models;

/// <summary>
/// A subject-model architecture as the rest of the library sees it: its name, its default traced
/// layers with their channel counts and feature-map sizes (milan-spec §1.4), the aliases that map
/// the reference's layer names onto module paths, and the smallest input it accepts.
/// <para>
/// ResNets are traced at conv1 (the raw convolution output, before batch norm, as in the reference)
/// and layer1..layer4 (block outputs after the final ReLU); these are module names, so no alias is
/// needed. AlexNet's reference names conv1..conv5 are aliases of the ReLU that follows each
/// convolution (features.1, .4, .7, .9, .11): the reference's hook stores the convolution's output
/// tensor, which the following in-place ReLU then overwrites, so its "conv" activations are
/// post-ReLU. Hooking features.0 etc. directly gives the pre-ReLU output instead.
/// </para>
/// </summary>
public sealed class ModelArchitecture
{
    public const string AlexNetSmallName = "alexnet-small";

    private static readonly IReadOnlyDictionary<string, string> AlexNetAliases = new Dictionary<string, string>
    {
        ["conv1"] = "features.1",
        ["conv2"] = "features.4",
        ["conv3"] = "features.7",
        ["conv4"] = "features.9",
        ["conv5"] = "features.11",
    };

    // AlexNet's channels at width 64 (torchvision), in trace order.
    private static readonly int[] AlexNetChannels = [64, 192, 384, 256, 256];

    // Listed after the tables above, which static initialisation must fill first.
    private static readonly ModelArchitecture[] Known =
    [
        ResNet("resnet18", [2, 2, 2, 2], bottleneck: false),
        ResNet("resnet34", [3, 4, 6, 3], bottleneck: false),
        ResNet("resnet50", [3, 4, 6, 3], bottleneck: true),
        ResNet("resnet101", [3, 4, 23, 3], bottleneck: true),
        ResNet("resnet152", [3, 8, 36, 3], bottleneck: true),
        new("alexnet", ArchitectureFamily.AlexNet, [], bottleneck: false, AlexNetMinimum(smallInput: false), AlexNetSmallName),
        new(AlexNetSmallName, ArchitectureFamily.AlexNet, [], bottleneck: false, AlexNetMinimum(smallInput: true), null),
    ];

    private ModelArchitecture(string name, ArchitectureFamily family, int[] blocks, bool bottleneck, int minimumImageSize, string? smallInputAlternative)
    {
        Name = name;
        Family = family;
        BlocksPerLayer = blocks;
        UsesBottleneck = bottleneck;
        MinimumImageSize = minimumImageSize;
        SmallInputAlternative = smallInputAlternative;
        LayerAliases = family == ArchitectureFamily.AlexNet ? AlexNetAliases : new Dictionary<string, string>();
    }

    private static ModelArchitecture ResNet(string name, int[] blocks, bool bottleneck) =>
        new(name, ArchitectureFamily.ResNet, blocks, bottleneck, minimumImageSize: 1, smallInputAlternative: null);

    /// <summary>Every architecture name the factory builds.</summary>
    public static IReadOnlyList<string> Names { get; } = Known.Select(a => a.Name).ToArray();

    public string Name { get; }

    public ArchitectureFamily Family { get; }

    /// <summary>ResNet: residual blocks in layer1..layer4; empty for AlexNet.</summary>
    public IReadOnlyList<int> BlocksPerLayer { get; }

    /// <summary>ResNet-50/101/152 use Bottleneck blocks (expansion 4); 18/34 use BasicBlock.</summary>
    public bool UsesBottleneck { get; }

    /// <summary>The smallest square input side (px) for which every layer keeps at least one pixel.</summary>
    public int MinimumImageSize { get; }

    /// <summary>An architecture with the same weights that accepts smaller images, if any.</summary>
    public string? SmallInputAlternative { get; }

    /// <summary>The reference's layer names that differ from module paths, mapped to the module to hook.</summary>
    public IReadOnlyDictionary<string, string> LayerAliases { get; }

    /// <summary>True for the variant whose first convolution has stride 1 (see docs/models.md).</summary>
    internal bool SmallInput => Name == AlexNetSmallName;

    /// <summary>The architecture called <paramref name="name"/> (case-insensitive); unknown names list the known ones.</summary>
    public static ModelArchitecture Get(string name) =>
        Known.FirstOrDefault(a => string.Equals(a.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new MilanInputException($"unknown architecture '{name}'; expected one of {string.Join(", ", Names)}");

    /// <summary>The module path to hook for <paramref name="layer"/>: its alias target, or the name itself.</summary>
    public string ModulePath(string layer) => LayerAliases.TryGetValue(layer, out var path) ? path : layer;

    /// <summary>
    /// The layers MILAN traces by default, in order, with channels and feature-map sizes for a square
    /// input of <paramref name="imageSize"/> px and base width <paramref name="width"/>.
    /// </summary>
    public IReadOnlyList<TracedLayer> DefaultLayers(int imageSize = 224, int width = 64) =>
        Family == ArchitectureFamily.ResNet ? ResNetLayers(imageSize, width) : AlexNetLayers(imageSize, width);

    private List<TracedLayer> ResNetLayers(int imageSize, int width)
    {
        int expansion = UsesBottleneck ? 4 : 1;
        int size = ConvolutionOutput(imageSize, kernel: 7, stride: 2, padding: 3);
        var layers = new List<TracedLayer> { new("conv1", "conv1", width, size) };
        size = ConvolutionOutput(size, kernel: 3, stride: 2, padding: 1); // max pool
        for (int i = 0; i < 4; i++)
        {
            if (i > 0) size = ConvolutionOutput(size, kernel: 3, stride: 2, padding: 1);
            string name = $"layer{i + 1}";
            layers.Add(new TracedLayer(name, name, (width << i) * expansion, size));
        }
        return layers;
    }

    private List<TracedLayer> AlexNetLayers(int imageSize, int width)
    {
        var sizes = AlexNetSizes(imageSize, SmallInput);
        return Enumerable.Range(0, 5)
            .Select(i => new TracedLayer($"conv{i + 1}", AlexNetAliases[$"conv{i + 1}"], ScaleAlexNetChannels(AlexNetChannels[i], width), sizes[i]))
            .ToList();
    }

    /// <summary>AlexNet's channel count <paramref name="channels"/> (at width 64) scaled to <paramref name="width"/>.</summary>
    internal static int ScaleAlexNetChannels(int channels, int width) => Math.Max(1, channels * width / 64);

    /// <summary>Feature-map sides of conv1..conv5 and of the last max pool.</summary>
    internal static int[] AlexNetSizes(int imageSize, bool smallInput)
    {
        int conv1 = smallInput
            ? ConvolutionOutput(imageSize, kernel: 11, stride: 1, padding: 5)
            : ConvolutionOutput(imageSize, kernel: 11, stride: 4, padding: 2);
        int conv2 = ConvolutionOutput(conv1, kernel: 3, stride: 2, padding: 0); // pool, then a size-keeping 5x5 conv
        int conv3 = ConvolutionOutput(conv2, kernel: 3, stride: 2, padding: 0); // pool, then size-keeping 3x3 convs
        int pooled = ConvolutionOutput(conv3, kernel: 3, stride: 2, padding: 0);
        return [conv1, conv2, conv3, conv3, conv3, pooled];
    }

    private static int AlexNetMinimum(bool smallInput)
    {
        int size = 1;
        while (AlexNetSizes(size, smallInput).Min() < 1) size++;
        return size;
    }

    /// <summary>Output side of a convolution or pooling window: floor((n + 2p − k) / s) + 1, or 0 when the window does not fit.</summary>
    internal static int ConvolutionOutput(int size, int kernel, int stride, int padding)
    {
        int span = size + 2 * padding - kernel;
        return span < 0 ? 0 : span / stride + 1;
    }

    public override string ToString() => Name;
}
