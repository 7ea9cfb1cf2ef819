using Milan.Captioning;
using static TorchSharp.torch;

namespace Milan.Tests.Captioning;

/// <summary>
/// A hand-built next-token scorer: for each neuron, the log-probabilities of the next token are a fixed
/// function of the prefix (a seeded random table keyed by the prefix), so the best sequences can be
/// found by brute-force enumeration.
/// </summary>
internal sealed class TableScorer(int classes, int[] seeds) : IStepScorer
{
    private List<(int Neuron, int[] Prefix)> _rows = [];

    public long Batch => seeds.Length;
    public int ClassCount => classes;

    /// <summary>log-probabilities after <paramref name="prefix"/> for <paramref name="neuron"/>.</summary>
    public double[] LogProbs(int neuron, IReadOnlyList<int> prefix)
    {
        int hash = seeds[neuron];
        foreach (int token in prefix) hash = hash * 31 + token + 7;
        var random = new Random(hash);
        var logits = Enumerable.Range(0, classes).Select(_ => random.NextDouble() * 4).ToArray();
        double max = logits.Max();
        double logSum = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        return logits.Select(l => l - logSum).ToArray();
    }

    public Tensor Begin()
    {
        _rows = Enumerable.Range(0, seeds.Length).Select(n => (n, Array.Empty<int>())).ToList();
        return Rows();
    }

    public Tensor Advance(Tensor parents, Tensor tokens)
    {
        var parentIds = parents.cpu().data<long>().ToArray();
        var tokenIds = tokens.cpu().data<long>().ToArray();
        _rows = parentIds.Select((p, i) => (_rows[(int)p].Neuron, _rows[(int)p].Prefix.Append((int)tokenIds[i]).ToArray())).ToList();
        return Rows();
    }

    private Tensor Rows() =>
        tensor(_rows.SelectMany(r => LogProbs(r.Neuron, r.Prefix)).Select(v => (float)v).ToArray(), [_rows.Count, classes]);
}
