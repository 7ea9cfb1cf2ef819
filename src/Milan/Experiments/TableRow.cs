using Milan.Stats;

namespace Milan.Experiments;

/// <summary>
/// One line of a generalization table: the experiment (<c>leave-one-out</c>, <c>within-network</c>,
/// <c>across-architecture</c>, <c>across-dataset</c>), training and test models, the method, the
/// metric, the value with its bootstrap interval over test units (for MILAN methods each unit's
/// score is first averaged over seeds), and the lowest and highest per-seed value.
/// </summary>
public sealed record TableRow(string Experiment, string Train, string Test, string Method, string Metric, ConfidenceInterval Interval,
    int Seeds, double SeedMin, double SeedMax);
