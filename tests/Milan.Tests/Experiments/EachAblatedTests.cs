using Milan.Datasets;
using Milan.Experiments;
using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// ClassifierAccuracy.MeasureEachAblated, the per-unit scores of the editing, against the unit-by-unit measurement
/// with the ablation hook (MeasureAblated), which it must equal exactly; and the ResNet's ForwardFrom it relies on.
/// </summary>
public class EachAblatedTests
{
    private static readonly ModelUnit[] Units =
        new[] { "conv1", "layer1", "layer2", "layer3", "layer4" }.SelectMany(layer => new[] { 0, 3, 5, 7 }.Select(unit => new ModelUnit(layer, unit)))
            .Append(new ModelUnit("layer4", 63)).Append(new ModelUnit("conv1", 1)).ToArray();

    /// <summary>120 random images labelled by the unablated model itself, so every ablation that changes a prediction costs accuracy.</summary>
    private static LabelledImages OwnPredictions(SubjectModel model, int size)
    {
        var generator = new Generator(7);
        var images = randint(0, 256, [120, 3, size, size], dtype: ScalarType.Byte, generator: generator);
        long[] labels;
        using (no_grad())
        {
            model.eval();
            labels = model.call(ImageNormalization.ImageNet.Normalize(images, CPU)).argmax(1).data<long>().ToArray();
        }
        return new LabelledImages("random images", images, labels);
    }

    [Fact]
    public void A_resnet_scored_from_cached_layer_outputs_gives_the_hooked_full_passes_accuracies_exactly()
    {
        using var model = SubjectModel.Create(new ModelSpec("resnet18", 10, 32, Width: 8), seed: 1);
        using var data = OwnPredictions(model, 32);
        var expected = Units.Select(u => ClassifierAccuracy.MeasureAblated(model, [u], data, batchSize: 16)).ToArray();
        var done = new List<int>();
        var actual = ClassifierAccuracy.MeasureEachAblated(model, Units, data, batchSize: 16, unitDone: done.Add);
        Assert.Equal(expected, actual);
        // Not a comparison of two untouched models: several single units change some of the 120 predictions.
        Assert.True(expected.Count(a => a.Correct < 120) >= 5, string.Join(", ", expected));
        Assert.Equal(Enumerable.Range(0, Units.Length), done.Order());
        // The capture hooks are gone: the model is back to its own predictions.
        Assert.Equal(new Accuracy(120, 120), ClassifierAccuracy.Measure(model, data, batchSize: 16));
    }

    [Fact]
    public void A_model_that_cannot_resume_is_measured_unit_by_unit()
    {
        using var model = SubjectModel.Create(new ModelSpec("alexnet", 3, 63, Width: 8), seed: 2);
        using var data = OwnPredictions(model, 63);
        ModelUnit[] units = [new("conv1", 1), new("conv5", 4)];
        Assert.False(model.ResumesAfter(model.ModulePath("conv1")));
        var expected = units.Select(u => ClassifierAccuracy.MeasureAblated(model, [u], data, batchSize: 16)).ToArray();
        Assert.Equal(expected, ClassifierAccuracy.MeasureEachAblated(model, units, data, batchSize: 16));
    }

    [Fact]
    public void A_resnet_resumes_after_conv1_and_its_four_layers_with_the_forward_passes_own_numbers()
    {
        using var model = SubjectModel.Create(new ModelSpec("resnet18", 4, 32, Width: 8), seed: 3);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = randn([3, 3, 32, 32], generator: new Generator(5));
        var outputs = new Dictionary<string, Tensor>();
        string[] paths = ["conv1", "layer1", "layer2", "layer3", "layer4"];
        var hooks = paths.Select(p => ModulePaths.Find(model, p).register_forward_hook((_, _, output) =>
        {
            outputs[p] = output.clone().DetachFromDisposeScope();   // the forward pass's own scope would free it
            return output;
        })).ToList();
        var logits = model.call(input);
        hooks.ForEach(h => h.remove());
        foreach (var path in paths)
        {
            Assert.True(model.ResumesAfter(path), path);
            Assert.True(logits.eq(model.ForwardFrom(path, outputs[path])).all().item<bool>(), path);
        }
        Assert.False(model.ResumesAfter("fc"));
        Assert.False(model.ResumesAfter("layer2.0"));
        Assert.Throws<NotSupportedException>(() => model.ForwardFrom("fc", outputs["layer4"]));
        foreach (var output in outputs.Values) output.Dispose();
    }
}
