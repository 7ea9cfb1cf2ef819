using Milan.Models;
using Milan.Models.Onnx;
using static TorchSharp.torch;

namespace Milan.Tests.Models.Onnx;

/// <summary>
/// <see cref="OnnxNetwork.InferenceCopy"/> of the NuGet ResNet18 (22 BatchNormalization nodes with
/// its ImageNet statistics) against the imported network itself: the folded copy gives the same traced
/// outputs within float tolerance, a traced convolution or batch norm keeps its pair unfolded, and the
/// original network is not changed.
/// </summary>
public class OnnxInferenceCopyTests
{
    [Fact]
    public void The_folded_copy_matches_the_imported_network_and_keeps_traced_pairs()
    {
        using var scope = NewDisposeScope();
        using var network = OnnxNetwork.Load(NuGetResNet18.Find());
        string[] traced = ["conv1", "layer1", "layer2.0.bn1", "layer4"];
        manual_seed(4);
        var input = network.Normalization.Normalize(randint(0, 256, [2, 3, 224, 224]).to(ScalarType.Byte), CPU);
        using var copy = (OnnxNetwork)network.InferenceCopy(traced);

        IReadOnlyDictionary<string, Tensor> Outputs(OnnxNetwork model)
        {
            using var trace = LayerTrace.Attach(model, traced);
            using var noGrad = no_grad();
            return trace.Run(input);
        }
        var expected = Outputs(network);
        var actual = Outputs(copy);

        // conv1 is traced, so conv1 + bn1 stay apart and conv1 is the same computation as before.
        Assert.True(actual["conv1"].equal(expected["conv1"]).all().item<bool>());
        foreach (var layer in traced.Skip(1))
        {
            double largest = expected[layer].abs().max().item<float>();
            double difference = (actual[layer] - expected[layer]).abs().max().item<float>();
            Assert.True(difference <= 1e-5 * largest, $"{layer}: folded differs by {difference} (largest value {largest})");
        }

        Assert.Equal(["preprocess", "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"], copy.StepNames);
        Assert.DoesNotContain("bn1", Steps(copy, "layer1.0"));
        Assert.DoesNotContain("bn2", Steps(copy, "layer1.0"));
        Assert.Contains("bn1", Steps(copy, "layer2.0"));          // traced: its pair stays
        Assert.DoesNotContain("bn2", Steps(copy, "layer2.0"));
        Assert.DoesNotContain("1", Steps(copy, "layer2.0.downsample"));
        Assert.Contains("bn1", Steps(network, "layer1.0"));
    }

    private static IReadOnlyList<string> Steps(OnnxNetwork network, string path) =>
        ((GraphSegment)ModulePaths.Find(network, path)).StepNames;
}
