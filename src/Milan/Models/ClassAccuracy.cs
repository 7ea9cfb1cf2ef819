using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>A classifier's accuracy on a labelled image source: overall and per class (class order; NaN for a class without images).</summary>
public sealed record ClassAccuracy(double Overall, IReadOnlyList<double> PerClass, int Images)
{
    /// <summary>Runs <paramref name="model"/> (in eval mode, without gradients) over every image of <paramref name="source"/>.</summary>
    public static ClassAccuracy Measure(SubjectModel model, IImageSource source, Device device, int batchSize = 256, IProgress<WorkProgress>? progress = null)
    {
        int classes = source.ClassNames.Count;
        if (classes == 0) throw new MilanInputException($"{source.Description}: the images have no labels, so accuracy cannot be measured");
        if (classes != model.Spec.Classes)
            throw new MilanInputException($"{source.Description}: has {classes} classes, the model {model.Spec.Classes}");
        bool wasTraining = model.training;
        model.eval();
        var correct = new long[classes];
        var total = new long[classes];
        try
        {
            using var noGrad = no_grad();
            for (int start = 0; start < source.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int n = Math.Min(batchSize, source.Count - start);
                var indices = Enumerable.Range(start, n).ToArray();
                var input = ImageNormalization.ImageNet.Normalize(source.ReadBytes(indices), device);
                var predicted = model.call(input).argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < n; i++)
                {
                    long label = source.Label(indices[i]);
                    total[label]++;
                    if (predicted[i] == label) correct[label]++;
                }
                progress?.Report(new WorkProgress($"accuracy on {source.Description}", start + n, source.Count));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        long images = total.Sum();
        return new ClassAccuracy(
            images == 0 ? double.NaN : (double)correct.Sum() / images,
            Enumerable.Range(0, classes).Select(c => total[c] == 0 ? double.NaN : (double)correct[c] / total[c]).ToArray(),
            (int)images);
    }
}
