using Milan.Models;
using Milan.Models.Onnx;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Milan.Tests.Models.Onnx;

/// <summary>
/// The ImageNet ResNet18 of NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 (restored with
/// the library), imported: recognised as a ResNet with torchvision's names, and computing what
/// OnnxRuntime computes for the same graphs.
/// </summary>
public class NuGetResNet18Tests(ITestOutputHelper output)
{
    [Fact]
    public void It_is_recognised_as_a_resnet_with_torchvision_names_and_its_preprocessing_graph()
    {
        using var network = OnnxNetwork.Load(NuGetResNet18.Find());
        Assert.Equal([2, 2, 2, 3], network.ResNetBlocks);
        Assert.False(network.Bottleneck);
        Assert.EndsWith("ResNetPreprocess.onnx", network.PreprocessPath);
        Assert.Equal(224, network.DeclaredImageSize);
        Assert.Equal(["preprocess", "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"], network.StepNames);
        var paths = network.LayerPaths;
        foreach (var path in new[] { "layer1.0.conv1", "layer1.0.relu1", "layer1.1.add", "layer2.0.downsample.0", "layer2.0.downsample.1", "layer4.2.relu" })
            Assert.Contains(path, paths);
        var state = network.state_dict();
        Assert.Equal([64, 3, 7, 7], state["conv1.weight"].shape);
        Assert.Equal([512], state["layer4.2.bn2.running_var"].shape);
        Assert.Equal([1, 3, 224, 224], state["preprocess.sub_2.constant"].shape);

        var layers = network.Describe(network.DefaultLayerNames, 224);
        Assert.Equal([64, 64, 128, 256, 512], layers.Select(l => l.Channels));
        Assert.Equal([112, 56, 28, 14, 7], layers.Select(l => l.Size));
    }

    [Fact]
    public void The_imported_network_matches_onnx_runtime_on_the_same_images()
    {
        using var scope = NewDisposeScope();
        string model = NuGetResNet18.Find();
        using var network = OnnxNetwork.Load(model);
        manual_seed(3);
        var bytes = randint(0, 256, [2, 3, 224, 224]).to(ScalarType.Byte);

        Tensor ours;
        using (no_grad()) ours = network.call(network.Normalization.Normalize(bytes, CPU));

        // OnnxRuntime runs the two graphs as shipped: preprocessing on 0..255 RGB, then the network, one image at a time (batch fixed at 1).
        var expected = cat(Enumerable.Range(0, 2).Select(i =>
        {
            var pixels = bytes[i..(i + 1)].to(ScalarType.Float32);
            return OnnxRuntimeReference.Run(model, OnnxRuntimeReference.Run(network.PreprocessPath!, pixels));
        }).ToArray());

        Assert.Equal(expected.shape, ours.shape);
        double difference = (ours - expected).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        output.WriteLine($"max |ours - OnnxRuntime| = {difference:G3} over {expected.numel()} outputs of magnitude up to {scale:G3}");
        Assert.True(difference <= 1e-4 * Math.Max(1, scale), $"max abs difference {difference}");
    }
}
