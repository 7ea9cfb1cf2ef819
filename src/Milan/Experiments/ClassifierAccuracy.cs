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
        int correct = 0;
        EachBatch(model, data, batchSize, normalization, (input, start) => correct += Correct(model.call(input), data, start));
        return new Accuracy(correct, data.Count);
    }

    /// <summary>
    /// Runs <paramref name="body"/> on each batch of <paramref name="data"/>, normalised on the model's device, with the
    /// model in eval mode and without gradients, each batch in its own dispose scope; the training flag is restored.
    /// </summary>
    private static void EachBatch(nn.Module<Tensor, Tensor> model, LabelledImages data, int batchSize, ImageNormalization? normalization,
                                  Action<Tensor, int> body)
    {
        normalization ??= ImageNormalization.ImageNet;
        var device = ExemplarComputation.DeviceOf(model);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, data.Count - start);
                body(normalization.Normalize(data.Images.narrow(0, start, count), device), start);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>How many of the images from <paramref name="start"/> on the logits' argmax gets right.</summary>
    private static int Correct(Tensor logits, LabelledImages data, int start)
    {
        var predicted = logits.argmax(1).cpu().data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < predicted.Length; i++)
            if (predicted[i] == data.Labels[start + i]) correct++;
        return correct;
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
            var correct = MeasureFromLayer(subject, group.Key, members.Select(m => m.unit.Unit).ToList(), data, batchSize, normalization ?? ImageNormalization.ImageNet);
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
        var correct = new int[channels.Count];
        var module = ModulePaths.Find(model, modulePath);
        EachBatch(model, data, batchSize, normalization, (input, start) =>
        {
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
                correct[i] += Correct(model.ForwardFrom(modulePath, layerOutput * UnitAblation.ZeroMask(modulePath, [channels[i]], layerOutput)), data, start);
            }
        });
        return correct;
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
