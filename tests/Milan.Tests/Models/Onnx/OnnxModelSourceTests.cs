using Milan.Models;
using Milan.Models.Onnx;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Models.Onnx;

/// <summary>ONNX networks as the CLI and notebooks name them (<see cref="ModelSource"/>).</summary>
public class OnnxModelSourceTests
{
    [Fact]
    public void A_network_that_is_not_a_resnet_has_no_default_layers_and_the_error_lists_some()
    {
        using var folder = new TempFolder();
        string path = new OnnxModelBuilder(13, 3, 8, 8).Initializer("w", ones(4, 3, 3, 3))
            .Node("Conv", ["x", "w"], ["c"], "features/conv").Node("Relu", ["c"], ["y"], "features/relu").Save(folder.File("net.onnx"));

        using var loaded = ModelSource.Load(path, architecture: null, imageSize: 8, CPU);

        Assert.Equal(Milan.Datasets.ImageNormalization.ImageNet, loaded.Normalization);
        Assert.Equal(["features_relu"], loaded.LayersOrDefault(["features_relu"]));
        var error = Assert.Throws<MilanInputException>(() => loaded.LayersOrDefault([]));
        Assert.Contains("features_conv, features_relu", error.Message);
    }

    [Fact]
    public void The_nuget_resnet18_is_named_and_refuses_sizes_its_mean_image_does_not_fit()
    {
        using (var loaded = ModelSource.Load(NuGetResNet18.ModelName, architecture: null, imageSize: 224, CPU))
        {
            Assert.Equal(["conv1", "layer1", "layer2", "layer3", "layer4"], loaded.DefaultLayers);
            Assert.Equal(Milan.Datasets.ImageNormalization.UnitRange, loaded.Normalization);
        }
        var error = Assert.Throws<MilanInputException>(() => ModelSource.Load(NuGetResNet18.ModelName, null, imageSize: 112, CPU).Dispose());
        Assert.Contains("does not run on 112 px images; the graph declares 224 px", error.Message);
        Assert.Contains("leave out the architecture",
            Assert.Throws<MilanInputException>(() => ModelSource.Load(NuGetResNet18.ModelName, "resnet18", 224, CPU).Dispose()).Message);
    }
}
