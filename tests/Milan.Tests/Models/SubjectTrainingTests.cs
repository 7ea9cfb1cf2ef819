using System.Text.Json.Nodes;
using Milan.Datasets;
using Milan.Models;
using Milan.IO;
using Milan.Tests.Support;
using Milan.World;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

[Trait("Tier", "Integration")]
public class SubjectTrainingTests(SubjectTrainingTests.TrainedOnTinyWorld fixture) : IClassFixture<SubjectTrainingTests.TrainedOnTinyWorld>
{
    /// <summary>A small ResNet-18 trained once on the tiny world, with every epoch's state recorded.</summary>
    public sealed class TrainedOnTinyWorld : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public TrainedSubject Trained { get; }
        public List<Dictionary<string, Tensor>> EpochStates { get; } = [];
        public NpyImageSource Validation { get; }
        public NpyImageSource Test { get; }

        public TrainedOnTinyWorld()
        {
            WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, WorldSettings.For(Profile.Tiny), Folder.Path);
            using var train = new NpyImageSource(Path.Combine(Folder.Path, "train"));
            Validation = new NpyImageSource(Path.Combine(Folder.Path, "val"));
            Test = new NpyImageSource(Path.Combine(Folder.Path, "test"));
            // Patience 1 over up to 20 epochs: with this seed training stops early, so the last epoch is not the best.
            var options = new SubjectTrainingOptions
            {
                MaxEpochs = 20, Patience = 1, BatchSize = 32, Seed = 3,
                EpochEnded = (_, model) => EpochStates.Add(model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope())),
            };
            Trained = SubjectTraining.Train(new ModelSpec("resnet18", 1, Width: 8), train, Validation, options, CPU);
            Trained.Test(Test, CPU);
        }

        public void Dispose()
        {
            Trained.Dispose();
            foreach (var state in EpochStates) foreach (var t in state.Values) t.Dispose();
            Validation.Dispose();
            Test.Dispose();
            Folder.Dispose();
        }
    }

    private static bool SameState(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && p.Value.shape.SequenceEqual(other.shape) && p.Value.equal(other).all().item<bool>());

    [Fact]
    public void The_returned_weights_are_the_best_epochs_not_the_last()
    {
        var card = fixture.Trained.Card;
        Assert.True(card.BestEpoch < card.EpochsRun, $"best epoch {card.BestEpoch} of {card.EpochsRun}: the setup should stop early");
        Assert.Equal(card.EpochsRun, fixture.EpochStates.Count);
        var final = fixture.Trained.Model.state_dict();
        Assert.True(SameState(final, fixture.EpochStates[card.BestEpoch - 1]), "weights and batch-norm statistics equal the best epoch's snapshot");
        Assert.False(SameState(final, fixture.EpochStates[^1]), "weights differ from the last epoch's");
        double bestValidation = card.History.Max(e => e.ValidationAccuracy);
        Assert.Equal(bestValidation, card.History[card.BestEpoch - 1].ValidationAccuracy);
        // Measured again on the returned model, the validation accuracy is the best epoch's.
        Assert.Equal(bestValidation, ClassAccuracy.Measure(fixture.Trained.Model, fixture.Validation, CPU).Overall, 6);
        Assert.Equal(bestValidation, card.Validation.Overall, 6);
        Assert.False(fixture.Trained.Model.training);
    }

    [Fact]
    public void A_small_resnet_beats_chance_clearly_on_held_out_images()
    {
        var test = fixture.Trained.Card.Test!;
        Assert.Equal(100, test.Images);
        // Chance is 10%; measured 30-40% on this 300-image world with seed 3.
        Assert.InRange(test.Overall, 0.22, 1.0);
        // Per-class accuracies average to the overall one on this balanced split (10 images per class).
        Assert.Equal(test.Overall, test.PerClass.Average(), 6);
    }

    [Fact]
    public void A_saved_model_loads_with_the_same_card_and_outputs()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "subject");
        fixture.Trained.Save(path);
        Assert.Equal([StageSeal.FileName, "card.json", "weights.safetensors"], Directory.GetFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName).Where(n => n != "subject").Order(StringComparer.Ordinal));
        using var loaded = TrainedSubject.Load(path, CPU);
        var (a, b) = (fixture.Trained.Card, loaded.Card);
        Assert.Equal(a.Spec, b.Spec);
        Assert.Equal(a.ClassNames, b.ClassNames);
        Assert.Equal((a.EpochsRun, a.BestEpoch, a.TrainData, a.ValidationData, a.TestData), (b.EpochsRun, b.BestEpoch, b.TrainData, b.ValidationData, b.TestData));
        Assert.Equal(a.Training with { EpochEnded = null }, b.Training);
        Assert.Equal(a.History, b.History);
        Assert.Equal(a.Validation.Overall, b.Validation.Overall);
        Assert.Equal(a.Validation.PerClass, b.Validation.PerClass);
        Assert.Equal(a.Test!.PerClass, b.Test!.PerClass);
        Assert.False(loaded.Model.training);
        using var input = ImageNormalization.ImageNet.Normalize(fixture.Test.ReadBytes([0, 1, 2, 3]), CPU);
        using var noGrad = no_grad();
        using var expected = fixture.Trained.Model.call(input);
        using var actual = loaded.Model.call(input);
        Assert.True(expected.equal(actual).all().item<bool>());
        Assert.Throws<MilanInputException>(() => fixture.Trained.Save(path));
    }

    [Theory]
    [InlineData("width", null, "field 'width' missing")]
    [InlineData("best_epoch", "\"two\"", "field 'best_epoch' is not a int32")]
    [InlineData("best_epoch", "99", "field 'best_epoch' is 99")]
    [InlineData("architecture", "\"vgg16\"", "unknown architecture 'vgg16'")]
    [InlineData("format", "\"other/1\"", "field 'format' is 'other/1'")]
    public void A_bad_card_is_refused_naming_the_file_and_field(string field, string? json, string expected)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "subject");
        fixture.Trained.Save(path);
        string cardPath = Path.Combine(path, "card.json");
        var card = JsonNode.Parse(File.ReadAllText(cardPath))!.AsObject();
        if (json is null) card.Remove(field);
        else card[field] = JsonNode.Parse(json);
        File.WriteAllText(cardPath, card.ToJsonString());
        var error = Assert.Throws<MilanInputException>(() => TrainedSubject.Load(path, CPU));
        Assert.Contains(cardPath, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_missing_weights_file_is_named()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "subject");
        fixture.Trained.Save(path);
        File.Delete(Path.Combine(path, "weights.safetensors"));
        var error = Assert.Throws<MilanInputException>(() => TrainedSubject.Load(path, CPU));
        Assert.Contains("weights.safetensors", error.Message);
    }
}
