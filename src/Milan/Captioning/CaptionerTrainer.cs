using Milan.Language;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Trains p(d|E) as the reference's <c>Decoder.fit</c> (milan-spec §3.4): one example per annotation,
/// shuffled batches, teacher forcing, loss = NLL (ignoring &lt;pad&gt;, mean over tokens) + w ·
/// mean_{b,k}(1 − Σ_t α_{b,t,k})² with the sum over every step including padded ones; after each epoch
/// the validation loss (no penalty) and the metric of greedy descriptions of the validation neurons;
/// early stopping, then the best epoch's weights are restored (for real; see <see cref="WeightsSnapshot"/>).
/// Features are precomputed, so the encoder is not involved.
/// </summary>
public static class CaptionerTrainer
{
    /// <param name="features">(N, K, D) exemplar features of all neurons (any device).</param>
    /// <param name="annotations">Annotations of each of the N neurons.</param>
    public static TrainingReport Train(
        CaptionDecoder decoder,
        Vocabulary vocabulary,
        Tensor features,
        IReadOnlyList<IReadOnlyList<string>> annotations,
        IReadOnlyList<int> trainNeurons,
        IReadOnlyList<int> validationNeurons,
        ValidationMetric metric,
        CaptionerTrainingSettings settings,
        Device device,
        IProgress<WorkProgress>? progress = null)
    {
        settings.Validate();
        if (trainNeurons.Count == 0 || validationNeurons.Count == 0)
            throw new MilanInputException("training the captioner needs at least one training and one validation neuron");
        var indexer = new Indexer(vocabulary);
        var wordIds = annotations.Select(list => list.Select(indexer.WordIds).ToArray()).ToArray();
        var trainExamples = Examples(trainNeurons, wordIds);
        var validationExamples = Examples(validationNeurons, wordIds);
        if (trainExamples.Count == 0) throw new MilanInputException("the training neurons have no annotations");

        manual_seed(settings.Seed);
        var order = new Random(settings.Seed);
        decoder.to(device);
        using var allFeatures = features.to(ScalarType.Float32).to(device).detach();
        using var validationFeatures = allFeatures.index_select(0, tensor(validationNeurons.Select(i => (long)i).ToArray(), device: device));
        var references = validationNeurons.Select(i => annotations[i]).ToList();
        using var optimizer = optim.AdamW(decoder.parameters(), lr: settings.LearningRate, weight_decay: settings.WeightDecay);
        var stopper = new EarlyStopping(settings.Patience, higherIsBetter: settings.StopOnMetric);
        WeightsSnapshot? best = null;
        int bestEpoch = 0;
        var history = new List<EpochRecord>();
        int batchesPerEpoch = (trainExamples.Count + settings.BatchSize - 1) / settings.BatchSize;
        string task = "train captioner p(d|E)";
        try
        {
            for (int epoch = 1; epoch <= settings.MaxEpochs; epoch++)
            {
                decoder.train();
                Shuffle(trainExamples, order);
                double trainLoss = 0;
                for (int b = 0; b < batchesPerEpoch; b++)
                {
                    using var scope = NewDisposeScope();
                    var batch = trainExamples.Skip(b * settings.BatchSize).Take(settings.BatchSize).ToList();
                    var loss = Loss(decoder, indexer, allFeatures, batch, settings.AttentionPenaltyWeight, device);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    trainLoss += loss.item<float>();
                    progress?.Report(new WorkProgress(task, (long)(epoch - 1) * batchesPerEpoch + b + 1,
                        (long)settings.MaxEpochs * batchesPerEpoch, $"epoch {epoch}, loss {trainLoss / (b + 1):F3}"));
                }
                trainLoss /= batchesPerEpoch;

                decoder.eval();
                double validationLoss = ValidationLoss(decoder, indexer, allFeatures, validationExamples, settings.BatchSize, device);
                var predictions = CaptionDecoding.Decode(decoder, null, vocabulary, validationFeatures, DecodingOptions.Greedy, device)
                    .Select(d => d.Description).ToList();
                double score = metric.Score(predictions, references);
                history.Add(new EpochRecord(epoch, trainLoss, validationLoss, score));
                progress?.Report(new WorkProgress(task, (long)epoch * batchesPerEpoch, (long)settings.MaxEpochs * batchesPerEpoch,
                    $"epoch {epoch}, loss {trainLoss:F3}, val loss {validationLoss:F3}, val {metric.Name} {score:F1}"));

                // Ties on the metric go to the lower validation loss: corpus BLEU-4 stays 0 while no
                // prediction has a 4-gram in common with its references (short descriptions), and without a
                // tie-breaker the first epoch would be kept however much later epochs learn (a departure:
                // the reference compares the metric alone, but its restore is a no-op, so it keeps the last epoch).
                bool stop = settings.StopOnMetric ? stopper.Update(score, validationLoss) : stopper.Update(validationLoss);
                if (stopper.Improved)
                {
                    best?.Dispose();
                    best = new WeightsSnapshot(decoder);
                    bestEpoch = epoch;
                }
                if (stop) break;
            }
            best?.RestoreInto(decoder);
        }
        finally
        {
            best?.Dispose();
            decoder.eval();
        }
        progress?.Report(new WorkProgress(task, (long)settings.MaxEpochs * batchesPerEpoch, (long)settings.MaxEpochs * batchesPerEpoch,
            $"done after {history.Count} epochs; best epoch {bestEpoch}, val {(settings.StopOnMetric ? metric.Name : "loss")} {stopper.Best:F3}"));
        return new TrainingReport(settings.StopOnMetric ? metric.Name : "validation loss", history.Count, bestEpoch, stopper.Best, history);
    }

    private static List<(int Neuron, int[] Words)> Examples(IReadOnlyList<int> neurons, int[][][] wordIds) =>
        neurons.SelectMany(n => wordIds[n].Select(w => (n, w))).ToList();

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// Teacher-forced loss of one batch of (neuron, word ids) examples: NLL (mean over non-pad targets)
    /// plus the weighted attention penalty. <paramref name="allFeatures"/> is (N, K, D) on <paramref name="device"/>.
    /// </summary>
    public static Tensor Loss(CaptionDecoder decoder, Indexer indexer, Tensor allFeatures, IReadOnlyList<(int Neuron, int[] Words)> batch, double penaltyWeight, Device device)
    {
        var ids = indexer.Pad(batch.Select(e => e.Words).ToList(), start: true, stop: true);
        var sequences = tensor(ids, device: device);
        var inputs = sequences[.., ..^1];
        var targets = sequences[.., 1..];
        var features = allFeatures.index_select(0, tensor(batch.Select(e => (long)e.Neuron).ToArray(), device: device));
        var (logProbs, attention) = decoder.TeacherForce(features, inputs);
        var loss = MaskedNll(logProbs, targets, indexer.Vocabulary.Pad);
        if (penaltyWeight != 0)
            loss = loss + penaltyWeight * (1 - attention.sum(1)).pow(2).mean();
        return loss;
    }

    /// <summary>NLLLoss(ignore_index = pad, reduction = mean): the mean of −log p over non-pad targets.</summary>
    internal static Tensor MaskedNll(Tensor logProbs, Tensor targets, int padId)
    {
        var picked = logProbs.gather(2, targets.unsqueeze(2)).squeeze(2);
        var mask = targets.ne(padId).to(picked.dtype);
        return -(picked * mask).sum() / mask.sum();
    }

    private static double ValidationLoss(CaptionDecoder decoder, Indexer indexer, Tensor allFeatures, List<(int Neuron, int[] Words)> examples, int batchSize, Device device)
    {
        if (examples.Count == 0) return double.NaN;
        using var noGrad = no_grad();
        double total = 0;
        int batches = 0;
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = examples.Skip(start).Take(batchSize).ToList();
            total += Loss(decoder, indexer, allFeatures, batch, 0, device).item<float>();
            batches++;
        }
        return total / batches;
    }
}
