using Milan.Language;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// MILAN's rerank (milan-spec §5.2): over the whole beam, score(d) = log p(d|E) − λ·log p(d), no length
/// normalisation; the best candidate wins (the higher-ranked one on a tie).
/// </summary>
public static class PmiReranker
{
    /// <summary>The weighted PMI of one candidate.</summary>
    public static double Score(double captionScore, double lmScore, double lambda) => captionScore - lambda * lmScore;

    /// <summary>Index of the best candidate by <see cref="Score"/>; the first on ties; −1 if none is finite.</summary>
    public static int Choose(IReadOnlyList<double> captionScores, IReadOnlyList<double> lmScores, double lambda)
    {
        int best = -1;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < captionScores.Count; i++)
        {
            double score = Score(captionScores[i], lmScores[i], lambda);
            if (score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>
    /// log p(d) of every candidate of <paramref name="beams"/>: [neuron][rank]. With
    /// <see cref="LmScoring.Corrected"/> the LM reads &lt;start&gt; + words + &lt;stop&gt; (no &lt;stop&gt; for
    /// a candidate that ran out of steps) and scores every token after &lt;start&gt;. With
    /// <see cref="LmScoring.ReferenceQuirk"/> a candidate that ended before its neuron's last search step
    /// also gets log p_LM(&lt;stop&gt; | …, &lt;stop&gt;).
    /// </summary>
    public static double[][] LanguageModelScores(LanguageModel lm, Vocabulary vocabulary, BeamResult beams, LmScoring scoring, Device device)
    {
        var sequences = new List<int[]>();
        for (int b = 0; b < beams.Tokens.Count; b++)
        {
            int neuronSteps = beams.NeuronSteps(b);
            foreach (var tokens in beams.Tokens[b])
            {
                int length = beams.Length(tokens);
                bool ended = length > 0 && tokens[length - 1] == vocabulary.Stop;
                bool extraStop = scoring == LmScoring.ReferenceQuirk && ended && length < neuronSteps;
                var input = new List<int>(length + 2) { vocabulary.Start };
                input.AddRange(tokens.Take(length));
                if (extraStop) input.Add(vocabulary.Stop);
                sequences.Add([.. input]);
            }
        }
        var scores = SequenceScores(lm, sequences, vocabulary.Pad, device);
        var result = new double[beams.Tokens.Count][];
        int index = 0;
        for (int b = 0; b < result.Length; b++)
        {
            result[b] = new double[beams.Tokens[b].Count];
            for (int k = 0; k < result[b].Length; k++) result[b][k] = scores[index++];
        }
        return result;
    }

    /// <summary>Σ_t log p_LM(s[t] | s[..t]) for t ≥ 1 of each sequence s (which starts with &lt;start&gt;).</summary>
    public static double[] SequenceScores(LanguageModel lm, IReadOnlyList<int[]> sequences, int padId, Device device)
    {
        if (sequences.Count == 0) return [];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int longest = sequences.Max(s => s.Length);
        var ids = new long[sequences.Count * longest];
        Array.Fill(ids, padId);
        var counts = new long[sequences.Count];
        for (int i = 0; i < sequences.Count; i++)
        {
            for (int t = 0; t < sequences[i].Length; t++) ids[i * longest + t] = sequences[i][t];
            counts[i] = sequences[i].Length - 1;
        }
        var inputs = tensor(ids, [sequences.Count, longest], dtype: ScalarType.Int64, device: device);
        var scores = lm.SequenceLogProbs(inputs, tensor(counts, dtype: ScalarType.Int64, device: device));
        return scores.cpu().to(ScalarType.Float64).data<double>().ToArray();
    }
}
