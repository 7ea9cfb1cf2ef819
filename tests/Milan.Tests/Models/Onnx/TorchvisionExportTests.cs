using Milan.Models.Onnx;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Models.Onnx;

/// <summary>
/// torchvision's ResNets exported to ONNX by PyTorch itself (Debian's torch 1.13, which folds the
/// batch norms into the convolutions): recognised, named as torchvision names them, and computing
/// torchvision's logits.
/// </summary>
public class TorchvisionExportTests
{
    private const string Script = """
        import sys, torch, torchvision
        name, path = sys.argv[1], sys.argv[2]
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)(num_classes=10).eval()
        x = torch.rand(2, 3, 64, 64)
        torch.onnx.export(model, x, path, opset_version=13, input_names=["image"], output_names=["logits"],
                          dynamic_axes={"image": {0: "batch"}})
        with torch.no_grad():
            print(" ".join(repr(v) for v in x.flatten().tolist()))
            print(" ".join(repr(v) for v in model(x).flatten().tolist()))
        """;

    [Theory]
    [InlineData("resnet18", new[] { 2, 2, 2, 2 }, false)]
    [InlineData("resnet50", new[] { 3, 4, 6, 3 }, true)]
    public void An_exported_torchvision_resnet_is_recognised_and_gives_torchvisions_logits(string name, int[] blocks, bool bottleneck)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        string path = folder.File(name + ".onnx");
        var lines = DebianPython.Run(Script, name, path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var input = tensor(lines[0].Split(' ').Select(float.Parse).ToArray()).reshape(2, 3, 64, 64);
        var expected = lines[1].Split(' ').Select(float.Parse).ToArray();

        using var network = OnnxNetwork.Load(path);

        Assert.Equal(blocks, network.ResNetBlocks);
        Assert.Equal(bottleneck, network.Bottleneck);
        Assert.Equal(["conv1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc"], network.StepNames);
        Assert.Contains(bottleneck ? "layer3.5.conv3" : "layer3.1.conv2", network.LayerPaths);
        Assert.Contains("layer2.0.downsample.0", network.LayerPaths);
        Assert.Equal([10, bottleneck ? 2048 : 512], network.state_dict()["fc.weight"].shape);
        float[] logits;
        using (no_grad()) logits = network.call(input).flatten().data<float>().ToArray();
        double scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(logits), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4 * Math.Max(1, scale), $"{p.First} vs {p.Second}"));
    }
}
