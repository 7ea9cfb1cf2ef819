using Milan.Stats;

namespace Milan.Evaluation;

/// <summary>
/// Scores of one set of candidates, kept per unit so that intervals can resample units: the mean
/// per-candidate value of each per-candidate metric (BERTScore F, ROUGE-L F, CIDEr-D) and the summed
/// BLEU statistics (BLEU is a corpus metric: a resample's BLEU is recomputed from its units' n-gram
/// counts).
/// </summary>
public sealed class UnitScores
{
    private readonly Dictionary<string, double[]> _perUnit;
    private readonly long[][] _bleuCorrect, _bleuTotal;
    private readonly long[] _systemLength, _referenceLength;

    internal UnitScores(Dictionary<string, double[]> perUnit, long[][] bleuCorrect, long[][] bleuTotal, long[] systemLength, long[] referenceLength)
    {
        _perUnit = perUnit;
        _bleuCorrect = bleuCorrect;
        _bleuTotal = bleuTotal;
        _systemLength = systemLength;
        _referenceLength = referenceLength;
    }

    public int Count => _systemLength.Length;

    /// <summary>The per-unit values of a per-candidate metric (not <see cref="MetricNames.Bleu"/>).</summary>
    public IReadOnlyList<double> PerUnit(string metric) => _perUnit.TryGetValue(metric, out var v) ? v
        : throw new MilanInputException($"metric '{metric}' has no per-unit values; expected one of {string.Join(", ", _perUnit.Keys)}");

    /// <summary>The metric over the given units (a mean, or corpus BLEU of their statistics).</summary>
    public double Over(string metric, IReadOnlyList<int> units)
    {
        if (metric == MetricNames.Bleu)
        {
            var correct = new long[Language.Bleu.MaxOrder];
            var total = new long[Language.Bleu.MaxOrder];
            long system = 0, reference = 0;
            foreach (int u in units)
            {
                for (int n = 0; n < correct.Length; n++)
                {
                    correct[n] += _bleuCorrect[u][n];
                    total[n] += _bleuTotal[u][n];
                }
                system += _systemLength[u];
                reference += _referenceLength[u];
            }
            return Language.Bleu.FromStatistics(correct, total, system, reference).Score;
        }
        var values = PerUnit(metric);
        double sum = 0;
        foreach (int u in units) sum += values[u];
        return sum / units.Count;
    }

    /// <summary>The metric over a subset of units with its bootstrap interval (resampling those units).</summary>
    public ConfidenceInterval Interval(string metric, IReadOnlyList<int> units, int resamples, long seed) =>
        Bootstrap.Statistic(units.Count, picked => Over(metric, picked.Select(i => units[i]).ToArray()), resamples, seed: seed);
}
