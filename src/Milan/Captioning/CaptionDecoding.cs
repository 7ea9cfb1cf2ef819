using Milan.Language;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Decodes descriptions from exemplar features with a trained captioner (and language model), batched
/// over neurons: <see cref="DecodingOptions.BatchSize"/> neurons (× the beam) go through the network at
/// once, with the same results as decoding them one by one.
/// </summary>
public static class CaptionDecoding
{
    /// <param name="features">(N, K, D) exemplar features, on any device.</param>
    public static IReadOnlyList<DecodedNeuron> Decode(
        CaptionDecoder decoder,
        LanguageModel? lm,
        Vocabulary vocabulary,
        Tensor features,
        DecodingOptions options,
        Device device,
        IProgress<WorkProgress>? progress = null)
    {
        options.Validate(lm is not null);
        if (decoder.Shape.VocabularySize != vocabulary.Count)
            throw new ArgumentException($"decoder has {decoder.Shape.VocabularySize} classes, vocabulary {vocabulary.Count}");
        long count = features.shape[0];
        var results = new List<DecodedNeuron>((int)count);
        bool decoderTraining = decoder.training, lmTraining = lm?.training ?? false;
        decoder.eval();
        lm?.eval();
        try
        {
            using var inference = inference_mode();     // no autograd bookkeeping at all; nothing here is trained
            for (long start = 0; start < count; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(options.BatchSize, count - start);
                var batch = features.narrow(0, start, size).to(ScalarType.Float32).to(device);
                var perStepLm = options.PerStepPmi ? lm : null;
                using var captionScorer = new CaptionStepScorer(decoder, batch, vocabulary.Start, perStepLm, options.Lambda);
                IStepScorer scorer = options.AllowEmpty ? captionScorer : new FirstWordRequired(captionScorer, vocabulary.Stop);
                results.AddRange(options.Strategy switch
                {
                    DecodingStrategy.Greedy or DecodingStrategy.Sample => DecodeStepwise(scorer, vocabulary, options, start),
                    _ => DecodeBeam(scorer, lm, vocabulary, options, device),
                });
                progress?.Report(new WorkProgress("describe neurons", start + size, count));
            }
        }
        finally
        {
            decoder.train(decoderTraining);
            lm?.train(lmTraining);
        }
        return results;
    }

    private static List<DecodedNeuron> DecodeStepwise(IStepScorer scorer, Vocabulary vocabulary, DecodingOptions options, long firstNeuron)
    {
        long batch = scorer.Batch;
        var generator = options.Strategy == DecodingStrategy.Sample
            ? new Generator((ulong)(options.Seed + firstNeuron))
            : null;
        try
        {
            var tokens = new List<int>[batch];
            var scores = new double[batch];
            var finished = new bool[batch];
            for (int b = 0; b < batch; b++) tokens[b] = [];
            var scoresRows = scorer.Begin();
            // The reference keeps stepping after <stop> (and adds those steps to the score); captions are
            // cut at the first <stop>, so stopping once all have ended gives the same captions.
            for (int step = 0; step < options.MaxLength; step++)
            {
                using var scope = NewDisposeScope();
                var chosen = generator is null
                    ? scoresRows.argmax(1)
                    : scoresRows.exp().multinomial(1, replacement: false, generator: generator).squeeze(1);
                var picked = scoresRows.gather(1, chosen.unsqueeze(1)).squeeze(1).cpu().to(ScalarType.Float64).data<double>().ToArray();
                var chosenIds = chosen.cpu().data<long>().ToArray();
                for (int b = 0; b < batch; b++)
                {
                    if (finished[b]) continue;
                    tokens[b].Add((int)chosenIds[b]);
                    scores[b] += picked[b];
                    finished[b] = chosenIds[b] == vocabulary.Stop;
                }
                if (finished.All(f => f) || step == options.MaxLength - 1) break;
                scoresRows.Dispose();
                var parents = arange(batch, dtype: ScalarType.Int64, device: chosen.device);
                scoresRows = scorer.Advance(parents, chosen).DetachFromDisposeScope();
            }
            scoresRows.Dispose();
            var results = new List<DecodedNeuron>((int)batch);
            for (int b = 0; b < batch; b++)
            {
                var ids = tokens[b].ToArray();
                results.Add(new DecodedNeuron(Detokenizer.Detokenize(ids, vocabulary), ids, scores[b], scores[b], null, null));
            }
            return results;
        }
        finally
        {
            generator?.Dispose();
        }
    }

    private static List<DecodedNeuron> DecodeBeam(IStepScorer scorer, LanguageModel? lm, Vocabulary vocabulary, DecodingOptions options, Device device)
    {
        var beams = BeamSearch.Search(scorer, options.BeamSize, options.MaxLength, vocabulary.Stop);
        bool rerank = options.Strategy == DecodingStrategy.Rerank;
        var lmScores = rerank ? PmiReranker.LanguageModelScores(lm!, vocabulary, beams, options.LmScoring, device) : null;
        var results = new List<DecodedNeuron>(beams.Tokens.Count);
        for (int b = 0; b < beams.Tokens.Count; b++)
        {
            var candidates = new List<BeamCandidate>();
            for (int k = 0; k < beams.Tokens[b].Count; k++)
            {
                double captionScore = beams.Scores[b][k];
                if (!double.IsFinite(captionScore)) continue;
                var ids = beams.Tokens[b][k].Take(beams.Length(beams.Tokens[b][k])).ToArray();
                double? lmScore = lmScores?[b][k];
                double score = lmScore is { } l ? PmiReranker.Score(captionScore, l, options.Lambda) : captionScore;
                candidates.Add(new BeamCandidate(Detokenizer.Detokenize(ids, vocabulary), ids, captionScore, lmScore, score));
            }
            int chosen = rerank
                ? PmiReranker.Choose(candidates.Select(c => c.CaptionScore).ToList(), candidates.Select(c => c.LmScore!.Value).ToList(), options.Lambda)
                : 0;
            var best = candidates[Math.Max(chosen, 0)];
            results.Add(new DecodedNeuron(best.Description, best.Tokens, best.Score, best.CaptionScore, best.LmScore, candidates));
        }
        return results;
    }
}
