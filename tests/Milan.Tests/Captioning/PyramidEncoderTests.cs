using Milan.Captioning;
using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

public class PyramidEncoderTests
{
    [Fact]
    public void Pools_a_2x2_map_with_a_known_mask_as_computed_by_hand()
    {
        using var scope = NewDisposeScope();
        // Channel 0 = [[1, 2], [3, 4]], channel 1 = [[10, 0], [0, -10]].
        var map = tensor(new float[] { 1, 2, 3, 4, 10, 0, 0, -10 }, [1, 2, 2, 2]);
        // A 4×4 mask whose 2×2 blocks have means 1, 0.5, 0, 0.25. Halving with bilinear,
        // align_corners = false samples the centre of each block: the block means.
        var mask = tensor(new float[]
        {
            1, 1, 1, 0,
            1, 1, 0, 1,
            0, 0, 1, 0,
            0, 0, 0, 0,
        }, [1, 1, 4, 4]);
        var pooled = PyramidEncoder.PoolMasked(map, mask);
        // weights = [1, 0.5, 0, 0.25] / 1.75
        float[] expected = [(1 * 1 + 2 * 0.5f + 4 * 0.25f) / 1.75f, (10 * 1 + -10 * 0.25f) / 1.75f];
        Assert.Equal(expected[0], pooled[0, 0].item<float>(), 5);
        Assert.Equal(expected[1], pooled[0, 1].item<float>(), 5);
    }

    [Fact]
    public void An_all_zero_mask_gives_zero_features_and_a_same_size_mask_is_only_normalised()
    {
        using var scope = NewDisposeScope();
        var map = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        Assert.Equal(0f, PyramidEncoder.PoolMasked(map, zeros(1, 1, 8, 8))[0, 0].item<float>());
        var mask = tensor(new float[] { 0, 1, 1, 2 }, [1, 1, 2, 2]);
        Assert.Equal((2 + 3 + 8) / 4f, PyramidEncoder.PoolMasked(map, mask)[0, 0].item<float>(), 5);
    }

    private static nn.Module<Tensor, Tensor> StandInNet()
    {
        manual_seed(7);
        return nn.Sequential(
            ("conv1", nn.Conv2d(3, 4, 3, stride: 2, padding: 1)),
            ("bn1", nn.BatchNorm2d(4)),
            ("relu", nn.ReLU()),
            ("layer1", nn.Conv2d(4, 6, 3, padding: 1)),
            ("layer2", nn.Conv2d(6, 8, 3, stride: 2, padding: 1)));
    }

    [Fact]
    public void Encodes_the_normalised_image_at_every_layer_and_concatenates_conv1_first()
    {
        using var net = StandInNet();
        var encoder = PyramidEncoder.Create(net, "stand-in", null, ["conv1", "layer1", "layer2"], CPU);
        Assert.Equal(4 + 6 + 8, encoder.FeatureSize);

        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var images = randint(0, 256, [2, 3, 16, 16], dtype: ScalarType.Byte, generator: generator);
        var masks = (rand([2, 1, 16, 16], generator: generator) > 0.7).to(ScalarType.Byte);
        var features = encoder.Encode(images, masks);

        // By hand: the modules one after another on the ImageNet-normalised image (conv1 before BN).
        using var noGrad = no_grad();
        var children = net.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
        var x = ImageNormalization.ImageNet.Normalize(images, CPU);
        var conv1 = children["conv1"].call(x);
        var layer1 = children["layer1"].call(children["relu"].call(children["bn1"].call(conv1)));
        var layer2 = children["layer2"].call(layer1);
        var expected = cat(new[] { conv1, layer1, layer2 }.Select(map => PyramidEncoder.PoolMasked(map, masks.to(ScalarType.Float32))).ToList(), 1);
        Assert.True(features.allclose(expected, atol: 1e-5));
        generator.Dispose();
    }

    [Fact]
    public void Features_are_cached_per_encoder_and_dataset()
    {
        using var net = StandInNet();
        var encoder = PyramidEncoder.Create(net, "stand-in", null, ["conv1", "layer2"], CPU);
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var images = Enumerable.Range(0, 3).Select(_ => randint(0, 256, [2, 3, 16, 16], dtype: ScalarType.Byte)).ToList();
        var masks = ones(2, 1, 16, 16, dtype: ScalarType.Byte);
        var neurons = Enumerable.Range(0, 3).Select(i => NeuronExemplars.FromTensors("layer", i, images[i], masks)).ToList();

        var first = FeatureCache.GetOrCompute(folder.Path, "tiny/set", encoder, neurons);
        Assert.Equal([3, 2, 12], first.shape);
        string path = FeatureCache.PathFor(folder.Path, encoder.Description, "tiny/set");
        Assert.True(File.Exists(path));
        Assert.True(File.Exists(Path.ChangeExtension(path, ".json")));
        var again = FeatureCache.GetOrCompute(folder.Path, "tiny/set", encoder, neurons);
        Assert.True(again.equal(first).all().item<bool>());
        Assert.NotEqual(path, FeatureCache.PathFor(folder.Path, encoder.Description, "other/set"));
        var alone = encoder.Encode(images[1], masks);
        Assert.True(first[1].allclose(alone, atol: 1e-5));
    }

    [Fact]
    public void A_model_trained_from_exemplars_describes_exemplars_as_it_describes_their_features()
    {
        using var net = StandInNet();
        var encoder = PyramidEncoder.Create(net, "stand-in", null, ["conv1", "layer2"], CPU);
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        manual_seed(11);
        var neurons = Enumerable.Range(0, 10).Select(i => NeuronExemplars.FromTensors("layer", i,
            randint(0, 256, [3, 3, 16, 16], dtype: ScalarType.Byte), (rand(3, 1, 16, 16) > 0.5).to(ScalarType.Byte))).ToList();
        var annotations = Enumerable.Range(0, 10).Select(i => (IReadOnlyList<string>)[$"thing {i % 3}", "shapes"]).ToList();
        var options = TinyMilan.Options with
        {
            ValidationNeurons = null, HoldOut = 0.2,
            Captioner = TinyMilan.Options.Captioner with { MaxEpochs = 2 },
            LanguageModel = TinyMilan.Options.LanguageModel with { MaxEpochs = 2 },
        };
        using var model = MilanModel.Train(neurons, annotations, encoder, folder.Path, "tiny/exemplars", options, ValidationMetric.ExactMatch);
        var fromExemplars = model.Describe(neurons, DecodingOptions.Greedy);
        var features = Npy.ReadTensor(FeatureCache.PathFor(folder.Path, encoder.Description, "tiny/exemplars"));
        var fromFeatures = model.Describe(features, DecodingOptions.Greedy);
        Assert.Equal(fromFeatures.Select(d => d.Description), fromExemplars.Select(d => d.Description));
        Assert.Equal(2, model.Card.Training!.ValidationNeurons.Count);
        Assert.Equal(encoder.Description.Key, model.Card.Encoder.Key);
    }
}

public class ResNetPyramidEncoderTests
{
    [Theory]
    [InlineData(64, 64 + 64 + 128 + 256 + 512)]
    [InlineData(16, 16 + 16 + 32 + 64 + 128)]
    public void A_resnet18_gives_conv1_and_four_layers_of_features(int width, int featureSize)
    {
        using var folder = new TempFolder();
        string weights = folder.File("resnet18.safetensors");
        using (var model = Milan.Models.SubjectModel.Create(new Milan.Models.ModelSpec("resnet18", Classes: 3, ImageSize: 32, Width: width), seed: 1))
            model.SaveWeights(weights);
        using var encoder = PyramidEncoder.FromWeights(weights, null, CPU);
        Assert.Equal(featureSize, encoder.FeatureSize);
        Assert.Equal("resnet18", encoder.Description.Architecture);
        Assert.Equal(EncoderDescription.Sha256Of(weights), encoder.Description.WeightsSha256);

        // conv1 is traced before batch norm: its pooled features with a full mask are the raw
        // convolution's spatial mean.
        using var scope = NewDisposeScope();
        using var backbone = Milan.Models.SubjectModel.Load(weights);
        var images = randint(0, 256, [2, 3, 32, 32], dtype: ScalarType.Byte);
        var features = encoder.Encode(images, ones(2, 1, 32, 32));
        var conv1 = (nn.Module<Tensor, Tensor>)backbone.named_children().First(c => c.name == "conv1").module;
        using var noGrad = no_grad();
        var expected = conv1.call(ImageNormalization.ImageNet.Normalize(images, CPU)).mean([2, 3]);
        Assert.True(features[.., ..width].allclose(expected, atol: 1e-4));
    }
}
