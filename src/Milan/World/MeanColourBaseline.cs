using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.World;

/// <summary>
/// The floor a classifier of the world must clear: multinomial logistic regression on each image's
/// mean RGB (3 standardised features and a bias), fitted by full-batch Adam on the cross-entropy
/// from zero weights (the problem is convex, so the result does not depend on a seed).
/// </summary>
public static class MeanColourBaseline
{
    public sealed record Result(double TrainAccuracy, double TestAccuracy, int Classes)
    {
        public double Chance => 1.0 / Classes;
    }

    public static Result Evaluate(IImageSource train, IImageSource test, int steps = 800, Device? device = null,
        IProgress<WorkProgress>? progress = null)
    {
        if (train.ClassNames.Count == 0) throw new MilanInputException($"{train.Description}: the training images have no labels");
        if (!train.ClassNames.SequenceEqual(test.ClassNames))
            throw new MilanInputException($"{test.Description}: classes differ from {train.Description}'s");
        var target = device ?? CPU;
        using var scope = NewDisposeScope();
        var xTrain = MeanColours(train, target, progress);
        var xTest = MeanColours(test, target, progress);
        var yTrain = Labels(train, target);
        var yTest = Labels(test, target);
        var mean = xTrain.mean([0]);
        var std = xTrain.std(0).clamp_min(1e-6);
        xTrain = (xTrain - mean) / std;
        xTest = (xTest - mean) / std;

        int classes = train.ClassNames.Count;
        var weights = new TorchSharp.Modules.Parameter(zeros([3, classes], device: target));
        var bias = new TorchSharp.Modules.Parameter(zeros([classes], device: target));
        var optimizer = optim.Adam([weights, bias], lr: 0.05);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(xTrain.matmul(weights) + bias, yTrain);
            loss.backward();
            optimizer.step();
            if (step % 100 == 0) progress?.Report(new WorkProgress("mean-colour baseline", step, steps, $"loss {loss.item<float>():F3}"));
        }
        progress?.Report(new WorkProgress("mean-colour baseline", steps, steps));
        using var noGrad = no_grad();
        double Accuracy(Tensor x, Tensor y) => (x.matmul(weights) + bias).argmax(1).eq(y).to(ScalarType.Float64).mean().item<double>();
        return new Result(Accuracy(xTrain, yTrain), Accuracy(xTest, yTest), classes);
    }

    /// <summary>Per-image mean of each channel in [0, 1], (N, 3).</summary>
    public static Tensor MeanColours(IImageSource source, Device device, IProgress<WorkProgress>? progress = null)
    {
        const int batch = 256;
        var parts = new List<Tensor>();
        for (int start = 0; start < source.Count; start += batch)
        {
            int n = Math.Min(batch, source.Count - start);
            using var bytes = source.ReadBytes(Enumerable.Range(start, n).ToArray());
            parts.Add(bytes.to(device).to(ScalarType.Float32).mean([2, 3]).div(255));
            progress?.Report(new WorkProgress($"mean colours {source.Description}", start + n, source.Count));
        }
        return parts.Count == 0 ? zeros([0, 3], device: device) : cat(parts, 0);
    }

    private static Tensor Labels(IImageSource source, Device device) =>
        tensor(Enumerable.Range(0, source.Count).Select(source.Label).ToArray(), device: device);
}
