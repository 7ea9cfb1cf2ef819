using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Beam search with the semantics of allennlp 2.10's BeamSearch as the reference uses it (milan-spec
/// §3.5): the first step keeps the top <c>beam</c> tokens; each later step expands every beam with its
/// top <c>perNode</c> tokens and keeps the top <c>beam</c> of the sums; a beam that has emitted
/// &lt;stop&gt; can only emit &lt;stop&gt; again, at score 0; scores are sums of step scores with no
/// length normalisation; at most <c>maxSteps</c> tokens (&lt;stop&gt; included); the search ends early
/// once every beam has ended; the output is sorted by score, best first.
/// <para>
/// allennlp refuses a beam wider than the number of classes; here the missing beams are filled with
/// dead hypotheses (score −∞, already ended), so a tiny vocabulary can be searched exhaustively.
/// Ties are broken by topk's order, as in the reference, and the final sort is stable.
/// </para>
/// </summary>
public static class BeamSearch
{
    public static BeamResult Search(IStepScorer scorer, int beamSize, int maxSteps, int stopId, int? perNodeBeamSize = null)
    {
        if (beamSize < 1) throw new ArgumentOutOfRangeException(nameof(beamSize), "beam size must be at least 1");
        if (maxSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxSteps), "at least one step is needed");
        int classes = scorer.ClassCount;
        int perNode = Math.Min(perNodeBeamSize ?? beamSize, classes);
        long batch = scorer.Batch;

        var stepTokens = new List<long[]>();      // (B·beam) tokens chosen at each step
        var backpointers = new List<long[]>();    // (B·beam) beam index (within the neuron) each continues
        Tensor scores;                            // (B, beam) running scores
        using (var scope = NewDisposeScope())
        {
            var first = scorer.Begin();
            var device = first.device;
            int firstWidth = Math.Min(beamSize, classes);
            var (top, tokens) = first.topk(firstWidth, dim: 1);
            if (firstWidth < beamSize)
            {
                top = cat([top, full(batch, beamSize - firstWidth, double.NegativeInfinity, dtype: top.dtype, device: device)], 1);
                tokens = cat([tokens, full(batch, beamSize - firstWidth, (long)stopId, dtype: ScalarType.Int64, device: device)], 1);
            }
            scores = top.MoveToOuterDisposeScope();
            stepTokens.Add(tokens.cpu().data<long>().ToArray());
        }

        var neuronOffsets = arange(batch, dtype: ScalarType.Int64).mul(beamSize).unsqueeze(1);
        var parents = arange(batch, dtype: ScalarType.Int64).repeat_interleave(beamSize);
        for (int step = 1; step < maxSteps; step++)
        {
            var last = stepTokens[^1];
            if (last.All(t => t == stopId)) break;
            using var scope = NewDisposeScope();
            var lastTokens = tensor(last, dtype: ScalarType.Int64);
            var logProbs = scorer.Advance(parents.to(scores.device), lastTokens.to(scores.device));
            var device = logProbs.device;
            var ended = lastTokens.to(device).eq(stopId).unsqueeze(1);
            var afterEnd = full(1, classes, double.NegativeInfinity, dtype: logProbs.dtype, device: device);
            afterEnd[0, stopId] = 0;
            var cleaned = where(ended, afterEnd, logProbs);
            var (nodeTop, nodeTokens) = cleaned.topk(perNode, dim: 1);                       // (B·beam, perNode)
            var summed = (nodeTop + scores.reshape(-1, 1)).reshape(batch, beamSize * perNode);
            var (best, bestIndex) = summed.topk(beamSize, dim: 1);                            // (B, beam)
            var chosen = nodeTokens.reshape(batch, beamSize * perNode).gather(1, bestIndex);
            var backpointer = bestIndex.div(perNode, rounding_mode: RoundingMode.trunc);
            scores.Dispose();
            scores = best.MoveToOuterDisposeScope();
            var backpointerCpu = backpointer.cpu();
            stepTokens.Add(chosen.cpu().data<long>().ToArray());
            backpointers.Add(backpointerCpu.data<long>().ToArray());
            parents.Dispose();
            parents = (backpointerCpu + neuronOffsets).reshape(-1).DetachFromDisposeScope();
        }
        parents.Dispose();
        neuronOffsets.Dispose();

        using (scores)
        {
            var finalScores = scores.cpu().to(ScalarType.Float64).data<double>().ToArray();
            return BeamResult.Reconstruct(stepTokens, backpointers, finalScores, (int)batch, beamSize, stopId);
        }
    }
}
