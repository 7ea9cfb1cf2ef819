using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

public class SubjectModelTests
{
    [Fact]
    public void Default_layers_follow_the_reference_table_at_224_px()
    {
        // milan-spec §1.4: channels and feature-map sizes of the traced layers at 224 px.
        Assert.Equal(
            [("conv1", 64, 112), ("layer1", 64, 56), ("layer2", 128, 28), ("layer3", 256, 14), ("layer4", 512, 7)],
            ModelArchitecture.Get("resnet18").DefaultLayers().Select(l => (l.Name, l.Channels, l.Size)));
        Assert.Equal(
            [("conv1", 64, 112), ("layer1", 256, 56), ("layer2", 512, 28), ("layer3", 1024, 14), ("layer4", 2048, 7)],
            ModelArchitecture.Get("resnet152").DefaultLayers().Select(l => (l.Name, l.Channels, l.Size)));
        Assert.Equal(
            [("conv1", 64, 55), ("conv2", 192, 27), ("conv3", 384, 13), ("conv4", 256, 13), ("conv5", 256, 13)],
            ModelArchitecture.Get("alexnet").DefaultLayers().Select(l => (l.Name, l.Channels, l.Size)));
        Assert.Equal(1152, ModelArchitecture.Get("alexnet").DefaultLayers().Sum(l => l.Channels));
        Assert.Equal(3904, ModelArchitecture.Get("resnet101").DefaultLayers().Sum(l => l.Channels));
    }

    [Theory]
    [InlineData("resnet18", 32, 16)]
    [InlineData("resnet18", 57, 64)]
    [InlineData("resnet34", 40, 8)]
    [InlineData("resnet50", 64, 8)]
    [InlineData("alexnet", 63, 16)]
    [InlineData("alexnet", 100, 16)]
    [InlineData("alexnet-small", 15, 16)]
    [InlineData("alexnet-small", 56, 16)]
    public void Described_layers_have_the_traced_shapes(string architecture, int size, int width)
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec(architecture, 5, size, width), seed: 1);
        var layers = model.DefaultLayers;
        using var trace = LayerTrace.Attach(model, layers.Select(l => l.ModulePath).ToArray());

        var outputs = trace.Run(randn(2, 3, size, size));

        foreach (var layer in layers)
            Assert.Equal([2L, layer.Channels, layer.Size, layer.Size], outputs[layer.ModulePath].shape);
    }

    [Fact]
    public void Small_input_AlexNet_at_56_px_has_about_torchvisions_224_px_feature_maps()
    {
        Assert.Equal([56, 27, 13, 13, 13], ModelArchitecture.Get("alexnet-small").DefaultLayers(56).Select(l => l.Size));
        Assert.Equal([55, 27, 13, 13, 13], ModelArchitecture.Get("alexnet").DefaultLayers(224).Select(l => l.Size));
    }

    [Fact]
    public void Minimum_sizes_are_the_smallest_inputs_that_run()
    {
        Assert.Equal(63, ModelArchitecture.Get("alexnet").MinimumImageSize);
        Assert.Equal(15, ModelArchitecture.Get("alexnet-small").MinimumImageSize);
        using var model = SubjectModel.Create(new ModelSpec("alexnet", 3, 63, Width: 8));
        using (var logits = model.call(zeros(1, 3, 63, 63))) Assert.Equal([1L, 3], logits.shape);

        var error = Assert.Throws<MilanInputException>(() => model.call(zeros(1, 3, 62, 62)));
        Assert.Contains("at least 63 px", error.Message);
        Assert.Contains("alexnet-small", error.Message);
        var specError = Assert.Throws<MilanInputException>(() => new ModelSpec("alexnet", 3, 32).Validate());
        Assert.Contains("alexnet-small", specError.Message);
    }

    [Fact]
    public void Unknown_architecture_lists_the_known_ones()
    {
        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Create(new ModelSpec("vgg16", 10)));
        Assert.Contains("resnet18, resnet34, resnet50, resnet101, resnet152, alexnet, alexnet-small", error.Message);
    }

    [Fact]
    public void Architecture_names_are_case_insensitive()
    {
        Assert.Equal("resnet50", ModelArchitecture.Get("ResNet50").Name);
        using var model = SubjectModel.Create(new ModelSpec("ResNet18", 2, 32, Width: 8));
        Assert.Equal("resnet18", model.Spec.Architecture);
    }

    [Fact]
    public void Tracing_conv1_of_a_resnet_returns_the_raw_convolution_output_before_batch_norm()
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec("resnet18", 10, 32, Width: 8), seed: 2);
        var input = randn(2, 3, 32, 32);
        var conv1 = ModulePaths.Find(model, "conv1");
        var bn1 = ModulePaths.Find(model, "bn1");
        using (no_grad())
        {
            // Batch-norm statistics far from the identity, so that pre- and post-BN values differ.
            model.state_dict()["bn1.running_mean"].fill_(0.5);
            model.state_dict()["bn1.running_var"].fill_(4.0);
        }
        var expected = conv1.call(input);

        using var trace = LayerTrace.Attach(model, "conv1");
        var traced = trace.RunSingle(input);

        Assert.True(traced.equal(expected).all().item<bool>());
        // Neither the batch-normalised nor the rectified value.
        Assert.False(traced.allclose(bn1.call(expected)));
        Assert.True(traced.lt(0).any().item<bool>());
    }

    [Fact]
    public void Ablating_units_of_a_resnet_layer_zeroes_exactly_those_channels()
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec("resnet18", 10, 32, Width: 8), seed: 3);
        var input = randn(2, 3, 32, 32);
        Tensor clean;
        using (var trace = LayerTrace.Attach(model, "layer2")) clean = trace.RunSingle(input);
        var cleanLogits = model.call(input);
        int[] units = [1, 6, 13];

        Tensor ablated, ablatedLogits;
        using (UnitAblation.Attach(model, "layer2", units))
        {
            using (var trace = LayerTrace.Attach(model, "layer2")) ablated = trace.RunSingle(input);
            ablatedLogits = model.call(input);
        }

        Assert.Equal(16, ablated.shape[1]);
        for (int c = 0; c < 16; c++)
        {
            if (units.Contains(c)) Assert.Equal(0f, ablated[.., c].abs().max().item<float>());
            else Assert.True(ablated[.., c].equal(clean[.., c]).all().item<bool>(), $"channel {c} changed");
        }
        Assert.True(units.All(u => clean[.., u].abs().sum().item<float>() > 0), "the ablated channels were not already zero");
        Assert.False(ablatedLogits.allclose(cleanLogits));
        Assert.True(model.call(input).equal(cleanLogits).all().item<bool>(), "ablation removed on dispose");
    }

    [Fact]
    public void AlexNet_conv_aliases_trace_post_relu_activations_like_the_reference()
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec("alexnet-small", 10, 32, Width: 8), seed: 4);
        var input = randn(2, 3, 32, 32);
        string[] names = ["conv1", "conv2", "conv3", "conv4", "conv5"];
        string[] convolutions = ["features.0", "features.3", "features.6", "features.8", "features.10"];
        using var trace = LayerTrace.Attach(model, [.. names.Select(model.ModulePath), .. convolutions]);

        var outputs = trace.Run(input);

        for (int i = 0; i < names.Length; i++)
        {
            var post = outputs[model.ModulePath(names[i])];
            var pre = outputs[convolutions[i]];
            Assert.True(post.equal(pre.relu()).all().item<bool>(), names[i]);
            Assert.True(pre.lt(0).any().item<bool>(), $"{convolutions[i]} is the pre-ReLU output");
        }
        Assert.Equal("layer3", model.ModulePath("layer3")); // anything else is a module path as given
    }

    [Fact]
    public void Same_seed_gives_the_same_weights()
    {
        using var a = SubjectModel.Create(new ModelSpec("resnet18", 4, 32, Width: 8), seed: 7);
        using var b = SubjectModel.Create(new ModelSpec("resnet18", 4, 32, Width: 8), seed: 7);
        using var c = SubjectModel.Create(new ModelSpec("resnet18", 4, 32, Width: 8), seed: 8);
        var sa = a.state_dict();
        Assert.All(b.state_dict(), p => Assert.True(p.Value.equal(sa[p.Key]).all().item<bool>(), p.Key));
        Assert.False(c.state_dict()["layer1.0.conv1.weight"].equal(sa["layer1.0.conv1.weight"]).all().item<bool>());
    }

    [Fact]
    public void ResNet_convolutions_get_torchvisions_kaiming_fan_out_initialisation()
    {
        using var model = SubjectModel.Create(new ModelSpec("resnet50", 10, 64), seed: 5);
        var weight = model.state_dict()["layer3.0.conv2.weight"]; // 256 x 256 x 3 x 3: fan_out = 256 * 9
        double expectedStd = Math.Sqrt(2.0 / (256 * 9));
        Assert.Equal(expectedStd, weight.std().item<float>(), expectedStd * 0.02);
        Assert.Equal(1f, model.state_dict()["layer3.0.bn2.weight"].min().item<float>());
    }

    [Fact]
    public void A_resnet_trains_through_the_dispose_scopes_in_forward()
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec("resnet18", 2, 32, Width: 8), seed: 6);
        model.train();
        manual_seed(6);
        var images = randn(8, 3, 32, 32);
        var labels = tensor(new long[] { 0, 1, 0, 1, 1, 0, 1, 0 });
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        float first = 0, last = 0;
        for (int step = 0; step < 10; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(images), labels);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < 0.5 * first, $"loss went from {first} to {last}");
        Assert.Equal(10L, model.state_dict()["layer4.1.bn2.num_batches_tracked"].item<long>());
    }
}
