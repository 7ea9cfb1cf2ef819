using Milan.Annotations;
using Milan.Captioning;
using Milan.Tests.Annotations;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

public class DatasetTrainingTests
{
    [Fact]
    public void Trains_from_a_milannotations_dataset_and_records_its_keys()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path);
        using var data = new MilannotationsDataset("alexnet/imagenet", [TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path))]);
        Assert.Equal(3, data.Samples.Count);   // units with at least 3 annotations

        manual_seed(7);
        using var net = nn.Sequential(
            ("conv1", nn.Conv2d(3, 4, 3, stride: 2, padding: 1)), ("relu", nn.ReLU()), ("layer1", nn.Conv2d(4, 6, 3, padding: 1)));
        var encoder = PyramidEncoder.Create(net, "stand-in", null, ["conv1", "layer1"], CPU);
        var options = TinyMilan.Options with
        {
            ValidationNeurons = null, HoldOut = 0.34, DataKeys = [],
            Captioner = TinyMilan.Options.Captioner with { MaxEpochs = 2 },
            LanguageModel = TinyMilan.Options.LanguageModel with { MaxEpochs = 2, HoldOut = 0.2 },
        };
        string cache = Path.Combine(root.Path, "features");
        using var model = MilanModel.Train(data, encoder, cache, options);

        Assert.Equal(["alexnet/imagenet"], model.Card.Training!.DataKeys);
        Assert.Equal("BLEU", model.Card.Training!.Captioner.Criterion);
        Assert.Equal(9, model.Card.Training!.Annotations);
        Assert.Single(Directory.GetFiles(cache, "*.npy"));
        Assert.Equal(3, model.Describe(data.Samples.Select(NeuronExemplars.From).ToList(), DecodingOptions.Greedy).Count);

        // Rewriting the exemplars changes the dataset's identity, so stale features are never reused.
        string before = DatasetIdentity.Of(data);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "conv2", "masks.npy"), DateTime.UtcNow.AddMinutes(5));
        Assert.NotEqual(before, DatasetIdentity.Of(data));
    }

    [Fact]
    public void Bleu_normalises_as_the_reference_before_scoring()
    {
        var references = new List<IReadOnlyList<string>> { new[] { "red and white stripes", "stripes", "red lines" } };
        Assert.Equal(100, ValidationMetric.Bleu.Score(["Red and white stripes."], references), 6);
        Assert.True(ValidationMetric.Bleu.Score(["blue sky"], references) < 1);
    }
}
