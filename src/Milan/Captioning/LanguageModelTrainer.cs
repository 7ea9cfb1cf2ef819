using Milan.Language;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Trains p(d) as the reference's <c>LanguageModel.fit</c> (milan-spec §4): every annotation is its own
/// sequence; a random share is held out; inputs [start] + words, targets words + [stop], both padded;
/// NLL ignoring &lt;pad&gt;; AdamW with defaults; early stopping on validation loss; the best epoch's
/// weights restored (for real).
/// </summary>
public static class LanguageModelTrainer
{
    public static TrainingReport Train(
        LanguageModel lm,
        Vocabulary vocabulary,
        IReadOnlyList<string> annotations,
        LanguageModelTrainingSettings settings,
        Device device,
        IProgress<WorkProgress>? progress = null)
    {
        settings.Validate();
        var indexer = new Indexer(vocabulary);
        var sequences = annotations.Select(indexer.WordIds).ToList();
        // floor(share × count) as the reference, but at least one: tiny corpora still train (the
        // reference's random_split raises instead).
        int validationCount = Math.Max(1, (int)(settings.HoldOut * sequences.Count));
        if (validationCount >= sequences.Count)
            throw new MilanInputException($"the language model needs at least 2 annotations to hold some out; got {sequences.Count}");
        var order = new Random(settings.Seed);
        var permutation = Enumerable.Range(0, sequences.Count).OrderBy(_ => order.Next()).ToArray();
        var validation = permutation.Take(validationCount).Select(i => sequences[i]).ToList();
        var train = permutation.Skip(validationCount).Select(i => sequences[i]).ToList();

        manual_seed(settings.Seed);
        lm.to(device);
        using var optimizer = optim.AdamW(lm.parameters(), lr: settings.LearningRate, weight_decay: settings.WeightDecay);
        var stopper = new EarlyStopping(settings.Patience, higherIsBetter: false);
        WeightsSnapshot? best = null;
        var history = new List<EpochRecord>();
        int batchesPerEpoch = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
        long total = (long)settings.MaxEpochs * batchesPerEpoch;
        string task = "train language model p(d)";
        try
        {
            for (int epoch = 1; epoch <= settings.MaxEpochs; epoch++)
            {
                lm.train();
                for (int i = train.Count - 1; i > 0; i--)
                {
                    int j = order.Next(i + 1);
                    (train[i], train[j]) = (train[j], train[i]);
                }
                double trainLoss = 0;
                for (int b = 0; b < batchesPerEpoch; b++)
                {
                    using var scope = NewDisposeScope();
                    var loss = Loss(lm, indexer, train.Skip(b * settings.BatchSize).Take(settings.BatchSize).ToList(), device);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    trainLoss += loss.item<float>();
                    progress?.Report(new WorkProgress(task, (long)(epoch - 1) * batchesPerEpoch + b + 1, total,
                        $"epoch {epoch}, loss {trainLoss / (b + 1):F3}"));
                }
                trainLoss /= batchesPerEpoch;

                lm.eval();
                double validationLoss = 0;
                int validationBatches = 0;
                using (no_grad())
                {
                    for (int start = 0; start < validation.Count; start += settings.BatchSize)
                    {
                        using var scope = NewDisposeScope();
                        validationLoss += Loss(lm, indexer, validation.Skip(start).Take(settings.BatchSize).ToList(), device).item<float>();
                        validationBatches++;
                    }
                }
                validationLoss /= validationBatches;
                history.Add(new EpochRecord(epoch, trainLoss, validationLoss, null));
                progress?.Report(new WorkProgress(task, (long)epoch * batchesPerEpoch, total,
                    $"epoch {epoch}, loss {trainLoss:F3}, val loss {validationLoss:F3}"));

                bool stop = stopper.Update(validationLoss);
                if (stopper.Improved)
                {
                    best?.Dispose();
                    best = new WeightsSnapshot(lm);
                }
                if (stop) break;
            }
            best?.RestoreInto(lm);
        }
        finally
        {
            best?.Dispose();
            lm.eval();
        }
        int bestEpoch = history.FindIndex(h => h.ValidationLoss == stopper.Best) + 1;
        progress?.Report(new WorkProgress(task, total, total, $"done after {history.Count} epochs; best epoch {bestEpoch}, val loss {stopper.Best:F3}"));
        return new TrainingReport("validation loss", history.Count, bestEpoch, stopper.Best, history);
    }

    /// <summary>NLL of targets words + [stop] given inputs [start] + words (both padded), ignoring &lt;pad&gt;.</summary>
    internal static Tensor Loss(LanguageModel lm, Indexer indexer, IReadOnlyList<int[]> batch, Device device)
    {
        var inputs = tensor(indexer.Pad(batch, start: true, stop: false), device: device);
        var targets = tensor(indexer.Pad(batch, start: false, stop: true), device: device);
        return CaptionerTrainer.MaskedNll(lm.LogProbs(inputs), targets, indexer.Vocabulary.Pad);
    }
}
