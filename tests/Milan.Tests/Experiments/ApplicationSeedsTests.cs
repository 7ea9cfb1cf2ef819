using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.Captioning;
using Milan.Corpus;
using Milan.Experiments;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// The applications' MILAN of other training seeds (<c>--milan-seed</c>, <c>milan experiment seeds</c>), on copies of the tiny
/// corpus' models folder (the MILANs are written there, not into the shared corpus).
/// </summary>
[Trait("Tier", "Integration")]
[Collection(TinyCorpusCollection.Name)]
public class ApplicationSeedsTests(TinyCorpus corpus)
{
    [Fact]
    public void Each_seed_runs_the_three_applications_and_seeds_csv_holds_their_numbers()
    {
        using var work = new TempFolder();
        string models = Path.Combine(work.Path, "models"), results = Path.Combine(work.Path, "seeds");
        CopyFolder(corpus.ModelsRoot, models);

        var result = ApplicationSeeds.Run(corpus.DataRoot, models, results, Profile.Tiny, [0, 3], CPU);

        var layout = new WorldCorpusLayout(corpus.DataRoot, models);
        Assert.True(File.Exists(Path.Combine(layout.ApplicationMilanFolder, "card.json")));
        Assert.True(File.Exists(Path.Combine(layout.ApplicationMilanFolderFor(3), "card.json")));
        for (int i = 0; i < 2; i++)
        {
            string seedFolder = Path.Combine(results, $"seed{result.Seeds[i]}");
            using var ablation = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedFolder, "ablation", "summary.json")));
            using var audit = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedFolder, "audit", "summary.json")));
            using var edit = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedFolder, "edit", "summary.json")));

            double Value(string application, string measure) => Assert.Single(result.Measures, m => m.Application == application && m.Measure == measure).Values[i];

            var nouns = ablation.RootElement.GetProperty("curves").GetProperty("nouns").EnumerateArray().Last().GetDouble();
            var fraction = ablation.RootElement.GetProperty("fractions").EnumerateArray().Last().GetDouble();
            Assert.Equal(nouns, Value("ablation", $"accuracy with {fraction:P0} removed: nouns"));
            var described = UnitDescription.ReadCsv(Path.Combine(seedFolder, "ablation", "descriptions.csv")).Select(u => u.Description).Distinct().Count();
            Assert.Equal(described, Value("milan", "distinct descriptions of the ablated model's units"));
            foreach (var model in audit.RootElement.GetProperty("models").EnumerateArray())
                Assert.Equal(model.GetProperty("word_flagged").GetInt32(), Value("audit", $"{model.GetProperty("model").GetString()}: flagged by face words"));
            var tenth = audit.RootElement.GetProperty("thresholds").EnumerateArray().First(t => t.GetProperty("model").GetString() == "resnet18-world-a" && t.GetProperty("iou_threshold").GetDouble() == 0.1);
            Assert.Equal(tenth.GetProperty("both").GetInt32(), Value("audit", "resnet18-world-a, face IoU >= 0.1: flagged face units"));
            Assert.Equal(edit.RootElement.GetProperty("candidates").GetInt32(), Value("edit", "flagged as text"));
            var sortTruth = edit.RootElement.GetProperty("conditions").EnumerateArray().Single(c => c.GetProperty("condition").GetString() == "sort-truth");
            Assert.Equal(sortTruth.GetProperty("gain").GetDouble(), Value("edit", "adversarial gain: sort-truth"), 12);
        }
        // seeds.csv: one column per seed, then min and max of each row.
        var lines = File.ReadAllLines(Path.Combine(results, "seeds.csv"));
        Assert.Equal("application,measure,seed_0,seed_3,min,max", lines[0]);
        Assert.Equal(result.Measures.Count, lines.Length - 1);
        Assert.All(result.Measures, m => Assert.Equal(m.Values.Min(), m.Min));

        Assert.Throws<MilanInputException>(() => ApplicationSeeds.Run(corpus.DataRoot, models, results, Profile.Tiny, [1, 1], CPU));
    }

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

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
