using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

public class LayerTraceTests
{
    private static nn.Module<Tensor, Tensor> SmallNet()
    {
        manual_seed(3);
        return nn.Sequential(
            ("conv1", nn.Conv2d(3, 4, 3, padding: 1)),
            ("relu", nn.ReLU()),
            ("conv2", nn.Conv2d(4, 2, 3, padding: 1)));
    }

    [Fact]
    public void Traced_output_equals_a_manual_forward_to_that_layer()
    {
        using var net = SmallNet();
        using var input = randn(2, 3, 5, 5);
        var conv1 = (nn.Module<Tensor, Tensor>)net.named_children().First(c => c.name == "conv1").module;
        using var expected = conv1.call(input);

        using var trace = LayerTrace.Attach(net, "conv1", "conv2");
        var outputs = trace.Run(input);

        Assert.True(outputs["conv1"].allclose(expected));
        Assert.True(outputs["conv2"].allclose(net.call(input)));
    }

    [Fact]
    public void Unknown_layer_is_an_input_error_naming_the_layers()
    {
        using var net = SmallNet();
        var error = Assert.Throws<MilanInputException>(() => LayerTrace.Attach(net, "layer9"));
        Assert.Contains("layer9", error.Message);
        Assert.Contains("conv1, relu, conv2", error.Message);
    }

    [Fact]
    public void Ablation_zeroes_exactly_the_chosen_channels_and_is_removed_on_dispose()
    {
        using var net = SmallNet();
        using var input = randn(2, 3, 5, 5);
        using var before = net.call(input);
        Tensor clean;
        using (var cleanTrace = LayerTrace.Attach(net, "conv1"))
            clean = cleanTrace.RunSingle(input);

        IReadOnlyDictionary<string, Tensor> ablated;
        using (UnitAblation.Attach(net, "conv1", [1, 3]))
        using (var trace = LayerTrace.Attach(net, "conv1", "conv2"))
            ablated = trace.Run(input);

        var conv1 = ablated["conv1"];
        Assert.Equal(0f, conv1[.., 1].abs().sum().item<float>());
        Assert.Equal(0f, conv1[.., 3].abs().sum().item<float>());
        Assert.True(conv1[.., 0].equal(clean[.., 0]).all().item<bool>());
        Assert.True(conv1[.., 2].equal(clean[.., 2]).all().item<bool>());
        var conv2 = (nn.Module<Tensor, Tensor>)net.named_children().First(c => c.name == "conv2").module;
        Assert.True(ablated["conv2"].allclose(conv2.call(nn.functional.relu(conv1))));
        using var after = net.call(input);
        Assert.True(after.equal(before).all().item<bool>());
    }

    [Fact]
    public void Ablating_a_unit_out_of_range_names_the_layer_and_its_size()
    {
        using var net = SmallNet();
        using var input = randn(1, 3, 5, 5);
        using var ablation = UnitAblation.Attach(net, "conv1", [4]);
        var error = Assert.Throws<MilanInputException>(() => net.call(input));
        Assert.Contains("layer 'conv1' has 4 units", error.Message);
    }

    [Theory]
    [InlineData("alexnet-small", "features.0", true)]      // a convolution followed by an in-place ReLU
    [InlineData("alexnet-small", "features.1", false)]     // that ReLU's output
    [InlineData("resnet18", "bn1", true)]                   // before the in-place ReLU
    [InlineData("resnet18", "layer1.0.bn2", true)]          // before the in-place residual addition
    [InlineData("resnet18", "conv1", false)]
    [InlineData("resnet18", "layer1", false)]
    [InlineData("resnet18", "layer2.0.downsample.1", false)]
    public void Traced_outputs_are_what_the_module_returned_even_when_changed_in_place_later(string architecture, string layer, bool changedInPlace)
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec(architecture, 10, 32, Width: 8), seed: 4);
        Assert.Equal(changedInPlace, model.OutputChangedInPlace(layer));
        manual_seed(5);
        var input = randn(2, 3, 32, 32);
        // The expected value: the module's own output, captured by a hook that copies.
        Tensor? expected = null;
        var module = ModulePaths.Find(model, layer);
        using (no_grad())
        {
            var hook = module.register_forward_hook((_, _, output) => { expected = output.clone().DetachFromDisposeScope(); return output; });
            model.call(input);
            hook.remove();
        }
        using var trace = LayerTrace.Attach(model, layer);
        Tensor actual;
        using (no_grad()) actual = trace.RunSingle(input);

        Assert.True(actual.equal(expected!).all().item<bool>());
        if (changedInPlace) Assert.True(actual.lt(0).any().item<bool>(), "a pre-ReLU output should have negative values");
    }
}
