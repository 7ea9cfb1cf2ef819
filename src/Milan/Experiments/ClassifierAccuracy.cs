using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>Top-1 accuracy: how many of <see cref="Total"/> images the classifier got right.</summary>
public readonly record struct Accuracy(int Correct, int Total)
{
    public double Value => Total == 0 ? double.NaN : (double)Correct / Total;

    public override string ToString() => $"{100 * Value:F1}% ({Correct}/{Total})";
}

/// <summary>
/// Measures a classifier's top-1 accuracy (argmax over logits), as the reference does after each
/// ablation, optionally with units zeroed by <see cref="UnitAblation"/>. The model runs on its own
/// device, in eval mode, without gradients; its training flag is restored.
/// </summary>
public static class ClassifierAccuracy
{
    public const int DefaultBatchSize = 250;

    public static Accuracy Measure(nn.Module<Tensor, Tensor> model, LabelledImages data, int batchSize = DefaultBatchSize,
                                   ImageNormalization? normalization = null)
    {
        normalization ??= ImageNormalization.ImageNet;
        var device = ExemplarComputation.DeviceOf(model);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            int correct = 0;
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, data.Count - start);
                var input = normalization.Normalize(data.Images.narrow(0, start, count), device);
                var predicted = model.call(input).argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < count; i++)
                    if (predicted[i] == data.Labels[start + i]) correct++;
            }
            return new Accuracy(correct, data.Count);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Accuracy with <paramref name="units"/> zeroed; the ablation hooks are removed afterwards, also on error.</summary>
    public static Accuracy MeasureAblated(nn.Module<Tensor, Tensor> model, IEnumerable<ModelUnit> units, LabelledImages data,
                                          int batchSize = DefaultBatchSize, ImageNormalization? normalization = null)
    {
        using var ablation = Ablate(model, units);
        return Measure(model, data, batchSize, normalization);
    }

    /// <summary>
    /// The accuracy with each of <paramref name="units"/> zeroed alone, in their order: what
    /// <see cref="MeasureAblated"/> gives unit by unit, at less cost. Where the model can resume a forward pass
    /// after a unit's layer (<see cref="SubjectModel.ForwardFrom"/>: a ResNet's conv1 and layer1-4), that layer's
    /// output is computed once per batch and every unit of the layer is zeroed in it, with the mask multiplication
    /// the ablation hook uses, and the rest of the network runs from there; the predictions are those of the full
    /// forward pass with the hook. Other layers and models are measured unit by unit.
    /// </summary>
    public static Accuracy[] MeasureEachAblated(nn.Module<Tensor, Tensor> model, IReadOnlyList<ModelUnit> units, LabelledImages data,
                                                int batchSize = DefaultBatchSize, ImageNormalization? normalization = null,
                                                Action<int>? unitDone = null)
    {
        normalization ??= ImageNormalization.ImageNet;
        var results = new Accuracy[units.Count];
        var subject = model as SubjectModel;
        var byLayer = units.Select((unit, index) => (unit, index)).GroupBy(u => subject is null ? u.unit.Layer : subject.ModulePath(u.unit.Layer));
        foreach (var group in byLayer)
        {
            var members = group.ToList();
            if (subject is null || !subject.ResumesAfter(group.Key))
            {
                foreach (var (unit, index) in members)
                {
                    results[index] = MeasureAblated(model, [unit], data, batchSize, normalization);
                    unitDone?.Invoke(index);
                }
                continue;
            }
            var correct = MeasureFromLayer(subject, group.Key, members.Select(m => m.unit.Unit).ToList(), data, batchSize, normalization);
            for (int i = 0; i < members.Count; i++)
            {
                results[members[i].index] = new Accuracy(correct[i], data.Count);
                unitDone?.Invoke(members[i].index);
            }
        }
        return results;
    }

    private static int[] MeasureFromLayer(SubjectModel model, string modulePath, IReadOnlyList<int> channels, LabelledImages data,
                                          int batchSize, ImageNormalization normalization)
    {
        var device = ExemplarComputation.DeviceOf(model);
        bool wasTraining = model.training;
        model.eval();
        var correct = new int[channels.Count];
        try
        {
            using var noGrad = no_grad();
            var module = ModulePaths.Find(model, modulePath);
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, data.Count - start);
                var input = normalization.Normalize(data.Images.narrow(0, start, count), device);
                Tensor? captured = null;
                // The layer's output as the module returned it (a later in-place operation could change the original).
                var hook = module.register_forward_hook((_, _, output) =>
                {
                    captured = output.clone().DetachFromDisposeScope();     // the forward pass's own scope would free it
                    return output;
                });
                try
                {
                    model.call(input);
                }
                finally
                {
                    hook.remove();
                }
                using var layerOutput = captured ?? throw new InvalidOperationException($"'{modulePath}' did not run in the forward pass");
                for (int i = 0; i < channels.Count; i++)
                {
                    using var unitScope = NewDisposeScope();
                    var predicted = model.ForwardFrom(modulePath, layerOutput * UnitAblation.ZeroMask(modulePath, [channels[i]], layerOutput)).argmax(1).cpu().data<long>().ToArray();
                    for (int j = 0; j < count; j++)
                        if (predicted[j] == data.Labels[start + j]) correct[i]++;
                }
            }
            return correct;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>
    /// Attaches a <see cref="UnitAblation"/> for units named by layer: for a <see cref="SubjectModel"/>
    /// the layer name is resolved to its module path (AlexNet conv1 → features.1); for any other module
    /// the layer name is the module path.
    /// </summary>
    public static UnitAblation Ablate(nn.Module<Tensor, Tensor> model, IEnumerable<ModelUnit> units)
    {
        var byLayer = units.GroupBy(u => model is SubjectModel subject ? subject.ModulePath(u.Layer) : u.Layer)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<int>)g.Select(u => u.Unit).Distinct().ToArray());
        return UnitAblation.Attach(model, byLayer);
    }
}
