using Milan.Datasets;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Trains a subject model (a classifier from <see cref="SubjectModel"/>) on a labelled image source:
/// AdamW with a one-cycle learning rate, mini-batches in an order drawn from a seeded generator,
/// random horizontal flips, the validation accuracy after every epoch, and early stopping that
/// restores the best epoch's weights and batch-norm statistics.
/// <para>
/// The reference's training loops keep the best epoch's <c>state_dict()</c> without copying it;
/// those tensors alias the live parameters, so its "restore best" is a no-op and it ends with the
/// last epoch's weights. Here the best state is deep-copied (<see cref="WeightsSnapshot"/>) and
/// copied back, so the returned model is the best epoch's (checked by the tests).
/// </para>
/// </summary>
public static class SubjectTraining
{
    /// <summary>
    /// Trains a fresh <paramref name="spec"/> model (classes and image size are taken from
    /// <paramref name="train"/>) and returns it in eval mode with its card (no test accuracy yet; see
    /// <see cref="TrainedSubject.Test"/>).
    /// </summary>
    public static TrainedSubject Train(ModelSpec spec, IImageSource train, IImageSource validation, SubjectTrainingOptions options,
        Device device, IProgress<WorkProgress>? progress = null)
    {
        options.Validate();
        CheckSources(train, validation);
        spec = spec with { Classes = train.ClassNames.Count, ImageSize = train.ImageSize };
        var model = SubjectModel.Create(spec, device, options.Seed);
        try
        {
            var (history, bestEpoch) = Fit(model, train, validation, options, device, progress);
            var validationAccuracy = ClassAccuracy.Measure(model, validation, device);
            var card = new SubjectCard(model.Spec, train.ClassNames.ToArray(), World: null, train.Description, validation.Description,
                options, history.Count, bestEpoch, history, validationAccuracy, TestData: null, Test: null);
            return new TrainedSubject(model, card);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static (List<SubjectEpoch> History, int BestEpoch) Fit(SubjectModel model, IImageSource train, IImageSource validation,
        SubjectTrainingOptions options, Device device, IProgress<WorkProgress>? progress)
    {
        // Demo worlds are small (6000 x 3 x 64 x 64 bytes = 74 MB), so the training images stay in memory.
        using var images = ReadAll(train);
        using var labels = tensor(Enumerable.Range(0, train.Count).Select(train.Label).ToArray());
        using var generator = new Generator((ulong)options.Seed);
        int batches = (train.Count + options.BatchSize - 1) / options.BatchSize;
        using var optimizer = optim.AdamW(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var schedule = optim.lr_scheduler.OneCycleLR(optimizer, options.LearningRate, total_steps: options.MaxEpochs * batches);
        var stopper = new EarlyStopping(options.Patience, higherIsBetter: true);
        var history = new List<SubjectEpoch>();
        WeightsSnapshot? best = null;
        int bestEpoch = 0;
        string task = $"train {model.Spec.Architecture} on {train.Description}";
        try
        {
            for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
            {
                model.train();
                using var order = randperm(train.Count, generator: generator);
                double lossSum = 0;
                long correct = 0;
                for (int b = 0; b < batches; b++)
                {
                    using var scope = NewDisposeScope();
                    var index = order.narrow(0, (long)b * options.BatchSize, Math.Min(options.BatchSize, train.Count - b * options.BatchSize));
                    var bytes = images.index_select(0, index);
                    if (options.HorizontalFlip)
                    {
                        var flip = rand([index.shape[0]], generator: generator).lt(0.5).reshape(-1, 1, 1, 1);
                        bytes = where(flip, bytes.flip(3), bytes);
                    }
                    var target = labels.index_select(0, index).to(device);
                    var logits = model.call(ImageNormalization.ImageNet.Normalize(bytes, device));
                    var loss = nn.functional.cross_entropy(logits, target);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    schedule.step();
                    lossSum += loss.item<float>() * index.shape[0];
                    correct += logits.argmax(1).eq(target).sum().item<long>();
                    progress?.Report(new WorkProgress(task, (long)(epoch - 1) * batches + b + 1, (long)options.MaxEpochs * batches,
                        $"epoch {epoch}, loss {lossSum / Math.Min(train.Count, (b + 1) * options.BatchSize):F3}"));
                }

                double validationAccuracy = ClassAccuracy.Measure(model, validation, device).Overall;
                var record = new SubjectEpoch(epoch, lossSum / train.Count, (double)correct / train.Count, validationAccuracy);
                history.Add(record);
                bool stop = stopper.Update(validationAccuracy);
                if (stopper.Improved)
                {
                    best?.Dispose();
                    best = new WeightsSnapshot(model);
                    bestEpoch = epoch;
                }
                options.EpochEnded?.Invoke(record, model);
                progress?.Report(new WorkProgress(task, (long)epoch * batches, (long)options.MaxEpochs * batches,
                    $"epoch {epoch}, loss {record.TrainLoss:F3}, train {record.TrainAccuracy:P1}, val {validationAccuracy:P1} (best {stopper.Best:P1} at {bestEpoch})"));
                if (stop) break;
            }
            best!.RestoreInto(model);
        }
        finally
        {
            best?.Dispose();
            model.eval();
        }
        return (history, bestEpoch);
    }

    private static Tensor ReadAll(IImageSource source)
    {
        const int chunk = 1024;
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (int start = 0; start < source.Count; start += chunk)
            parts.Add(source.ReadBytes(Enumerable.Range(start, Math.Min(chunk, source.Count - start)).ToArray()));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    private static void CheckSources(IImageSource train, IImageSource validation)
    {
        if (train.Count == 0) throw new MilanInputException($"{train.Description}: no training images");
        if (validation.Count == 0) throw new MilanInputException($"{validation.Description}: no validation images");
        if (train.ClassNames.Count < 2) throw new MilanInputException($"{train.Description}: training needs labelled images of at least 2 classes");
        if (!train.ClassNames.SequenceEqual(validation.ClassNames))
            throw new MilanInputException($"{validation.Description}: its classes differ from {train.Description}'s");
        if (train.ImageSize != validation.ImageSize)
            throw new MilanInputException($"{validation.Description}: images of {validation.ImageSize} px, the training images {train.ImageSize} px");
    }
}
