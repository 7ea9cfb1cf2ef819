using Milan.Annotations;
using Milan.Corpus;
using Milan.Models;
using Milan.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Milan.Tests.Corpus;

[Collection(TinyCorpusCollection.Name)]
public sealed class WorldCorpusBuildTests(TinyCorpus corpus)
{
    private static readonly string[] Keys =
        ["alexnet/world-a", "resnet18/world-a", "resnet18/world-a-faces-blurred", "resnet18/world-a-spurious-text", "resnet18/world-b", "resnet18/world-b-spurious-text"];

    [Fact]
    public void Builds_every_dataset_key_with_three_annotations_per_unit_loadable_as_milannotations()
    {
        var manifest = WorldCorpusManifest.Read(corpus.DataRoot)!;
        Assert.Equal(Keys, manifest.Datasets.Keys.Order(StringComparer.Ordinal));
        foreach (string key in Keys)
        {
            using var dataset = TopImagesDataset.Open(DatasetKeys.Resolve(key, corpus.DataRoot).Single());
            var described = manifest.Datasets[key];
            Assert.Equal(described.Units, dataset.Samples.Count);
            Assert.Equal(3 * described.Units, described.Annotations);
            Assert.All(dataset.Samples, s => Assert.Equal(3, s.Annotations.Count));
            Assert.Equal(described.Layers, dataset.Samples.Select(s => s.Layer).Distinct());
            Assert.All(dataset.Samples, s => Assert.Equal(15, s.ImageCount));
        }
    }

    [Fact]
    public void The_blurred_model_is_probed_on_normal_images_and_the_text_model_on_its_own_world()
    {
        var manifest = WorldCorpusManifest.Read(corpus.DataRoot)!;
        Assert.Equal("world/a/normal/val", manifest.Datasets["resnet18/world-a-faces-blurred"].Probe);
        Assert.Equal("world/a/faces-blurred", manifest.Subjects["resnet18-world-a-faces-blurred"].World);
        Assert.Equal("world/a/spurious-text/val", manifest.Datasets["resnet18/world-a-spurious-text"].Probe);
        Assert.Equal("world/b/normal", manifest.Subjects[WorldCorpusSettings.EncoderName].World);
        Assert.DoesNotContain(manifest.Datasets.Values, d => d.Subject == WorldCorpusSettings.EncoderName);
    }

    [Fact]
    public void Subject_models_load_and_reproduce_the_test_accuracy_on_their_cards()
    {
        var manifest = WorldCorpusManifest.Read(corpus.DataRoot)!;
        var subject = manifest.Subjects["resnet18-world-a"];
        using var trained = TrainedSubject.Load(Path.Combine(corpus.ModelsRoot, subject.Folder), CPU);
        using var test = new Milan.Datasets.NpyImageSource(Path.Combine(corpus.DataRoot, subject.World, "test"));
        var measured = ClassAccuracy.Measure(trained.Model, test, CPU);
        Assert.Equal(subject.TestAccuracy, measured.Overall, 6);
    }

    [Fact]
    public void A_second_build_skips_everything_and_rewrites_no_output()
    {
        string annotations = Path.Combine(corpus.DataRoot, "resnet18", "world-a", WorldCorpus.AnnotationsFile);
        string weights = Path.Combine(corpus.ModelsRoot, "subjects", "resnet18-world-a", "weights.safetensors");
        var before = (File.GetLastWriteTimeUtc(annotations), File.GetLastWriteTimeUtc(weights));

        var again = WorldCorpus.Build(corpus.Settings, corpus.DataRoot, corpus.ModelsRoot, CPU);

        Assert.True(again.AllSkipped);
        Assert.Equal(before, (File.GetLastWriteTimeUtc(annotations), File.GetLastWriteTimeUtc(weights)));
    }

    [Fact]
    public void A_subject_made_with_other_settings_is_refused_naming_its_card()
    {
        var wider = corpus.Settings with
        {
            Subjects = corpus.Settings.Subjects.Select(s => s.Name == "resnet18-world-b" ? s with { Width = 16 } : s).ToList(),
        };
        var error = Assert.Throws<MilanInputException>(() => WorldCorpus.Build(wider, corpus.DataRoot, corpus.ModelsRoot, CPU));
        Assert.Contains(Path.Combine("resnet18-world-b", SubjectCard.FileName), error.Message);
        Assert.Contains("width 8", error.Message);
    }
}
