using System.Text.Json.Nodes;
using Milan.Captioning;
using Milan.Corpus;
using Milan.Experiments;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// The applications' MILAN trained with a seed other than 0 (<c>milan experiment ... --milan-seed S</c>) goes to its own
/// folder and is trained with that seed. Runs on a copy of the tiny corpus' models folder, so the shared corpus is not changed.
/// </summary>
[Trait("Tier", "Integration")]
[Collection(TinyCorpusCollection.Name)]
public class ApplicationMilanSeedTests(TinyCorpus corpus)
{
    [Fact]
    public void A_seed_trains_its_own_milan_with_that_seed_and_reuses_it()
    {
        using var models = new TempFolder();
        var shared = new WorldCorpusLayout(corpus.DataRoot, corpus.ModelsRoot);
        var layout = new WorldCorpusLayout(corpus.DataRoot, models.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.EncoderWeights)!);
        File.Copy(shared.EncoderWeights, layout.EncoderWeights);

        string seed1Folder = Path.Combine(models.Path, "milan", "world-apps-seed1");
        Assert.Equal(seed1Folder, layout.ApplicationMilanFolderFor(1));
        Assert.Equal(layout.ApplicationMilanFolder, layout.ApplicationMilanFolderFor(0));

        var validation = new Dictionary<int, JsonNode>();
        foreach (int seed in new[] { 0, 1 })
        {
            using var milan = ApplicationMilan.LoadOrTrain(layout, Profile.Tiny, CPU, seed: seed);
            Assert.Equal(layout.ApplicationMilanFolderFor(seed), milan.Folder);
            var training = JsonNode.Parse(File.ReadAllText(Path.Combine(milan.Folder, MilanCard.FileName)))!["training"]!;
            Assert.Equal(seed, training["split_seed"]!.GetValue<int>());
            Assert.Equal(seed, training["captioner_settings"]!["seed"]!.GetValue<int>());
            validation[seed] = training["validation_neurons"]!;
        }
        // Another seed holds out other units for early stopping.
        Assert.NotEqual(validation[0].ToJsonString(), validation[1].ToJsonString());

        // A second call loads the trained MILAN instead of training again.
        string weights = Path.Combine(seed1Folder, "weights.safetensors");
        var written = File.GetLastWriteTimeUtc(weights);
        using (ApplicationMilan.LoadOrTrain(layout, Profile.Tiny, CPU, seed: 1)) { }
        Assert.Equal(written, File.GetLastWriteTimeUtc(weights));
    }
}
