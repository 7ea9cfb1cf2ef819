using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.Captioning;
using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

/// <summary>
/// A checkpoint in the reference implementation's exact serialized format (written by Debian's
/// python3-torch with tools/reference-milan/reference_milan.py: a small, briefly trained MILAN) is
/// loaded here and decodes exactly as an independent PyTorch implementation of the reference's
/// decoding decodes the same weights on the same features.
/// </summary>
public class ReferenceCheckpointTests(ReferenceCheckpointTests.Fixture fixture) : IClassFixture<ReferenceCheckpointTests.Fixture>
{
    public const string Script = "tools/reference-milan/reference_milan.py";

    /// <summary>The checkpoint and 16 neurons' features, written once for the class.</summary>
    public sealed class Fixture : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Checkpoint => Folder.File("milan-fixture.pth");
        public string Features => Folder.File("features.npy");

        public Fixture() => DebianPython.RunFile(Script, "write", Checkpoint, "--seed", "3", "--features", Features, "--neurons", "16");

        public void Dispose() => Folder.Dispose();
    }

    /// <summary>The settings compared: (name, Python setting, our options).</summary>
    private static IEnumerable<(string Name, JsonObject Python, DecodingOptions Ours)> Settings()
    {
        yield return ("greedy", new JsonObject { ["strategy"] = "greedy" }, DecodingOptions.Greedy);
        yield return ("greedy-pmi", new JsonObject { ["strategy"] = "greedy", ["mi"] = true }, DecodingOptions.Greedy with { PerStepPmi = true });
        foreach (int beam in new[] { 1, 5, 20, 50 })
            yield return ($"beam{beam}", new JsonObject { ["strategy"] = "beam", ["beam"] = beam }, new DecodingOptions { Strategy = DecodingStrategy.Beam, BeamSize = beam });
        yield return ("beam10-pmi", new JsonObject { ["strategy"] = "beam", ["beam"] = 10, ["mi"] = true },
            new DecodingOptions { Strategy = DecodingStrategy.Beam, BeamSize = 10, PerStepPmi = true });
        foreach (int beam in new[] { 5, 50 })
        {
            yield return ($"rerank{beam}-reference", new JsonObject { ["strategy"] = "rerank", ["beam"] = beam, ["lm_scoring"] = "reference" },
                new DecodingOptions { BeamSize = beam, LmScoring = LmScoring.ReferenceQuirk });
            yield return ($"rerank{beam}-corrected", new JsonObject { ["strategy"] = "rerank", ["beam"] = beam, ["lm_scoring"] = "corrected" },
                new DecodingOptions { BeamSize = beam, LmScoring = LmScoring.Corrected });
        }
        yield return ("rerank20-lambda0.6", new JsonObject { ["strategy"] = "rerank", ["beam"] = 20, ["temperature"] = 0.6 },
            new DecodingOptions { BeamSize = 20, Lambda = 0.6, LmScoring = LmScoring.ReferenceQuirk });
    }

    [Fact]
    public void The_checkpoint_loads_with_its_vocabulary_sizes_and_decoding_defaults()
    {
        using var model = MilanModel.Load(fixture.Checkpoint);
        Assert.Equal(48, model.Vocabulary.Words.Count);
        Assert.Equal(["a", "and", "of", "the", "."], model.Vocabulary.Words.Take(5));
        Assert.Equal(52, model.Decoder.Shape.VocabularySize);
        Assert.Equal(8 + 8 + 16 + 32 + 64, model.Decoder.Shape.FeatureSize);   // ResNet-18 of width 8
        Assert.Equal((16, 32), (model.Decoder.Shape.EmbeddingSize, model.Decoder.Shape.HiddenSize));
        Assert.Equal((16, 32, 2), (model.LanguageModel.Shape.EmbeddingSize, model.LanguageModel.Shape.HiddenSize, model.LanguageModel.Shape.Layers));
        Assert.Equal(DecodingStrategy.Rerank, model.Card.Decoding.Strategy);
        Assert.Equal((0.2, 50, 15), (model.Card.Decoding.Lambda, model.Card.Decoding.BeamSize, model.Card.Decoding.MaxLength));
        Assert.Equal("resnet18", model.Card.Encoder.Architecture);
        Assert.Equal([0.485f, 0.456f, 0.406f], model.Card.Encoder.Mean);
        Assert.Null(model.Card.Training);
        Assert.Equal(Path.GetFullPath(fixture.Checkpoint), model.Card.ImportedFrom);
        Assert.NotNull(model.Encoder);
    }

    [Fact]
    public void Decoding_equals_an_independent_PyTorch_decoding_of_the_same_weights()
    {
        var settings = Settings().ToList();
        var pythonSettings = new JsonArray(settings.Select(s =>
        {
            var node = s.Python.DeepClone().AsObject();
            node["name"] = s.Name;
            return (JsonNode)node;
        }).ToArray());
        string settingsPath = fixture.Folder.File("settings.json");
        File.WriteAllText(settingsPath, pythonSettings.ToJsonString());
        var python = JsonNode.Parse(DebianPython.RunFile(Script, "decode", fixture.Checkpoint, fixture.Features, settingsPath))!.AsObject();

        using var model = MilanModel.Load(fixture.Checkpoint);
        Assert.Equal(python["vocabulary"]!.AsArray().Select(w => w!.GetValue<string>()), model.Vocabulary.Words);
        using var features = Npy.ReadTensor(fixture.Features);
        var mismatches = new List<string>();
        int compared = 0;
        foreach (var (name, _, options) in settings)
        {
            var expected = python["results"]![name]!.AsArray();
            var ours = model.Describe(features, options);
            Assert.Equal(expected.Count, ours.Count);
            for (int i = 0; i < ours.Count; i++)
            {
                compared++;
                var tokens = expected[i]!["tokens"]!.AsArray().Select(t => t!.GetValue<int>()).ToArray();
                string description = expected[i]!["description"]!.GetValue<string>();
                if (!tokens.SequenceEqual(ours[i].Tokens) || description != ours[i].Description)
                    mismatches.Add($"{name} neuron {i}: python [{string.Join(" ", tokens)}] '{description}', ours [{string.Join(" ", ours[i].Tokens)}] '{ours[i].Description}'");
                // Greedy scores differ by design (the reference adds the steps after <stop>); beam and rerank scores are the same sums.
                else if (!name.StartsWith("greedy", StringComparison.Ordinal))
                    Assert.True(Math.Abs(expected[i]!["score"]!.GetValue<double>() - ours[i].Score) < 1e-3,
                        $"{name} neuron {i}: score {ours[i].Score}, python {expected[i]!["score"]}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} decodings differ:\n{string.Join("\n", mismatches)}");
        Assert.Equal(16 * settings.Count, compared);

        // The fixture exercises what differs between strategies: not every setting agrees with greedy.
        var greedy = python["results"]!["greedy"]!.AsArray().Select(r => r!["description"]!.GetValue<string>()).ToList();
        Assert.Contains(settings, s => python["results"]![s.Name]!.AsArray().Select(r => r!["description"]!.GetValue<string>()).Where((d, i) => d != greedy[i]).Any());
    }

    [Fact]
    public void The_checkpoints_encoder_gives_the_reference_encoders_features()
    {
        using var model = MilanModel.Load(fixture.Checkpoint);
        using var scope = NewDisposeScope();
        manual_seed(5);
        var images = randint(0, 256, [2, 3, 3, 64, 64]).to(ScalarType.Byte);
        var masks = (rand([2, 3, 1, 64, 64]) > 0.7).to(ScalarType.Byte);
        masks[1, 2] = zeros(1, 64, 64, dtype: ScalarType.Byte);    // an empty mask: pooled features are 0
        Npy.Write(fixture.Folder.File("images.npy"), images);
        Npy.Write(fixture.Folder.File("masks.npy"), masks);
        DebianPython.RunFile(Script, "encode", fixture.Checkpoint, fixture.Folder.File("images.npy"), fixture.Folder.File("masks.npy"), fixture.Folder.File("encoded.npy"));
        var expected = Npy.ReadTensor(fixture.Folder.File("encoded.npy"));

        var ours = model.Encoder!.Encode(images.view(6, 3, 64, 64), masks.view(6, 1, 64, 64)).view(2, 3, -1);
        Assert.Equal(expected.shape, ours.shape);
        double scale = expected.abs().max().item<float>();
        double error = (expected - ours).abs().max().item<float>();
        Assert.True(error <= 1e-4 * scale, $"max |difference| {error} (features up to {scale})");
    }

    [Fact]
    public void Milan_describe_takes_the_checkpoint_and_describes_every_unit_with_its_own_encoder()
    {
        using var root = new TempFolder();
        string exemplars = Annotations.LayoutFixture.WriteAlexNetLike(root.Path);
        string csv = root.File("descriptions.csv");

        var (code, output) = MilanCli.Run("describe", "--exemplars", exemplars, "--model", fixture.Checkpoint, "--beam", "5", "--device", "cpu", "--out", csv);

        Assert.True(code == 0, output);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("layer,unit,description", lines[0]);
        Assert.Equal(1 + 4 + 3, lines.Length);
        // The same as the library's decoding of the same exemplars.
        using var model = MilanModel.Load(fixture.Checkpoint);
        using var data = Milan.Annotations.MilannotationsDataset.Load(exemplars, new Milan.Annotations.TopImagesLoadOptions { LoadAnnotations = false });
        var described = model.Describe(data.Samples.Select(NeuronExemplars.From).ToList(), model.Card.Decoding with { BeamSize = 5 });
        Assert.Equal(described.Select(d => d.Description), lines.Skip(1).Select(l => l[(l.IndexOf(',', l.IndexOf(',') + 1) + 1)..].Trim('"')));

        (code, output) = MilanCli.Run("describe", "--exemplars", exemplars, "--model", root.File("milan-base.pth"), "--out", csv);
        Assert.Equal(1, code);
        Assert.Contains("http://milan.csail.mit.edu/models/milan-base.pth", output);
    }

    [Fact]
    public void Settings_the_file_omits_take_the_reference_constructors_defaults()
    {
        using var folder = new TempFolder();
        string trimmed = folder.File("trimmed.pth");
        DebianPython.Run("""
            import sys, torch
            sys.path.insert(0, sys.argv[1])
            import reference_milan
            reference_milan.install_thinc_config()
            payload = torch.load(sys.argv[2])
            for key in ('beam_size', 'length', 'strategy', 'temperature', 'attention_hidden_size'):
                del payload['properties'][key]
            del payload['properties']['lm']['properties']['layers']
            torch.save(payload, sys.argv[3])
            """, Path.Combine(MilanRoots.Repository!, "tools", "reference-milan"), fixture.Checkpoint, trimmed);

        using var model = MilanModel.Load(trimmed);
        Assert.Equal((DecodingStrategy.Rerank, 0.2, 50, 15), (model.Card.Decoding.Strategy, model.Card.Decoding.Lambda, model.Card.Decoding.BeamSize, model.Card.Decoding.MaxLength));
        Assert.Equal(2, model.LanguageModel.Shape.Layers);
        Assert.Equal(Math.Min(32, 128), model.Decoder.Shape.AttentionHiddenSize);
    }

    [Fact]
    public void Files_of_another_kind_are_refused_with_one_message_naming_them()
    {
        using var folder = new TempFolder();
        string text = folder.File("notes.pth");
        File.WriteAllText(text, "not a checkpoint");
        Assert.Contains("neither a model folder", Assert.Throws<MilanInputException>(() => MilanModel.Load(text)).Message);

        // A plain state dict saved by torch.save is a torch archive, but not MILAN's serialized payload.
        string stateDict = folder.File("resnet.pth");
        DebianPython.Run("import sys, torch; torch.save(torch.nn.Linear(2, 3).state_dict(), sys.argv[1])", stateDict);
        var error = Assert.Throws<MilanInputException>(() => MilanModel.Load(stateDict));
        Assert.StartsWith(stateDict, error.Message);
        Assert.Contains("not a reference MILAN checkpoint", error.Message);

        // A pickle that names anything but containers and tensors is refused before anything runs.
        string code = folder.File("code.pth");
        DebianPython.Run("import sys, os, torch; torch.save({'properties': os.system}, sys.argv[1])", code);
        Assert.Contains("posix.system", Assert.Throws<MilanInputException>(() => MilanModel.Load(code)).Message);
    }
}
