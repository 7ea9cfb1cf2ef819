namespace Milan.Captioning;

/// <summary>
/// The finished beams of a <see cref="BeamSearch"/>: for each neuron, <c>beam</c> hypotheses sorted by
/// score (best first). Each token array is the whole decoded row, <see cref="Steps"/> long (&lt;stop&gt;
/// repeated after a hypothesis ended, as allennlp returns it).
/// </summary>
public sealed class BeamResult
{
    /// <summary>[neuron][rank] the decoded tokens, each <see cref="Steps"/> long.</summary>
    public IReadOnlyList<IReadOnlyList<int[]>> Tokens { get; }

    /// <summary>[neuron][rank] the sum of step scores (−∞ for dead hypotheses).</summary>
    public IReadOnlyList<double[]> Scores { get; }

    /// <summary>Steps the search ran for the whole batch.</summary>
    public int Steps { get; }

    public int StopId { get; }

    private BeamResult(IReadOnlyList<IReadOnlyList<int[]>> tokens, IReadOnlyList<double[]> scores, int steps, int stopId)
    {
        Tokens = tokens;
        Scores = scores;
        Steps = steps;
        StopId = stopId;
    }

    /// <summary>
    /// Steps neuron <paramref name="neuron"/>'s own search would have run alone: the step at which its
    /// last hypothesis ended (or the whole run, if one never ended). Hypotheses of a neuron do not
    /// change once they have all ended, so this is what decoding it alone gives.
    /// </summary>
    public int NeuronSteps(int neuron) => Tokens[neuron].Max(t => Length(t));

    /// <summary>Tokens up to and including the first &lt;stop&gt; (all of them if none).</summary>
    public int Length(int[] tokens)
    {
        int stop = Array.IndexOf(tokens, StopId);
        return stop < 0 ? tokens.Length : stop + 1;
    }

    internal static BeamResult Reconstruct(List<long[]> stepTokens, List<long[]> backpointers, double[] scores, int batch, int beam, int stopId)
    {
        int steps = stepTokens.Count;
        var tokens = new List<IReadOnlyList<int[]>>(batch);
        var sortedScores = new List<double[]>(batch);
        for (int b = 0; b < batch; b++)
        {
            var sequences = new int[beam][];
            for (int k = 0; k < beam; k++)
            {
                var sequence = new int[steps];
                int index = k;
                for (int t = steps - 1; t >= 0; t--)
                {
                    sequence[t] = (int)stepTokens[t][b * beam + index];
                    if (t > 0) index = (int)backpointers[t - 1][b * beam + index];
                }
                sequences[k] = sequence;
            }
            var order = Enumerable.Range(0, beam).OrderByDescending(k => scores[b * beam + k]).ToArray();
            tokens.Add(order.Select(k => sequences[k]).ToList());
            sortedScores.Add(order.Select(k => scores[b * beam + k]).ToArray());
        }
        return new BeamResult(tokens, sortedScores, steps, stopId);
    }
}
