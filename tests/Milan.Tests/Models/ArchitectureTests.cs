using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

public class ArchitectureTests
{
    public static TheoryData<string, long, int> Published => new()
    {
        // torchvision's published parameter counts (its weights tables, "num_params") and state-dict sizes.
        { "resnet18", 11_689_512L, 122 },
        { "resnet34", 21_797_672L, 218 },
        { "resnet50", 25_557_032L, 320 },
        { "resnet101", 44_549_160L, 626 },
        { "resnet152", 60_192_808L, 932 },
        { "alexnet", 61_100_840L, 16 },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void State_dict_keys_shapes_and_parameter_count_match_torchvision(string architecture, long parameters, int keys)
    {
        using var model = SubjectModel.Create(new ModelSpec(architecture, 1000));
        var expected = Expected(architecture);
        Assert.Equal(keys, expected.Count);
        AssertStateDict(expected, model);
        Assert.Equal(parameters, model.parameters().Sum(p => p.numel()));
    }

    private static List<(string Key, long[] Shape)> Expected(string architecture) => architecture switch
    {
        "resnet18" => TorchvisionStateDict.ResNet([2, 2, 2, 2], bottleneck: false),
        "resnet34" => TorchvisionStateDict.ResNet([3, 4, 6, 3], bottleneck: false),
        "resnet50" => TorchvisionStateDict.ResNet([3, 4, 6, 3], bottleneck: true),
        "resnet101" => TorchvisionStateDict.ResNet([3, 4, 23, 3], bottleneck: true),
        "resnet152" => TorchvisionStateDict.ResNet([3, 8, 36, 3], bottleneck: true),
        _ => TorchvisionStateDict.AlexNet(),
    };

    [Fact]
    public void ResNet_width_scales_every_stage_and_keeps_the_names()
    {
        using var model = SubjectModel.Create(new ModelSpec("resnet18", 7, ImageSize: 32, Width: 16));
        AssertStateDict(TorchvisionStateDict.ResNet([2, 2, 2, 2], bottleneck: false, classes: 7, width: 16), model);
    }

    [Fact]
    public void Small_input_AlexNet_has_torchvisions_state_dict()
    {
        using var model = SubjectModel.Create(new ModelSpec("alexnet-small", 1000, ImageSize: 32));
        AssertStateDict(TorchvisionStateDict.AlexNet(), model);
    }

    [Fact]
    public void AlexNet_module_indices_are_torchvisions()
    {
        using var model = SubjectModel.Create(new ModelSpec("alexnet", 10, Width: 8));
        var types = model.named_modules().ToDictionary(m => m.name, m => m.module.GetType().Name);
        string[] features = ["Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "Conv2d", "ReLU", "Conv2d", "ReLU", "MaxPool2d"];
        string[] classifier = ["Dropout", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Linear"];
        for (int i = 0; i < features.Length; i++) Assert.Equal(features[i], types[$"features.{i}"]);
        for (int i = 0; i < classifier.Length; i++) Assert.Equal(classifier[i], types[$"classifier.{i}"]);
        Assert.Equal("AdaptiveAvgPool2d", types["avgpool"]);
    }

    /// <summary>Same keys with the same shapes (TorchSharp lists all parameters before all buffers, so the order differs from PyTorch's).</summary>
    private static void AssertStateDict(List<(string Key, long[] Shape)> expected, nn.Module model)
    {
        var actual = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[key]), $"{key}: expected [{string.Join(",", shape)}], got [{string.Join(",", actual[key])}]");
    }
}
