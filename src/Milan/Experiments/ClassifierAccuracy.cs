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
