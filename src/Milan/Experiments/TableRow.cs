using Milan.Stats;

namespace Milan.Experiments;

/// <summary>
/// One line of a generalization table: the experiment (<c>leave-one-out</c>, <c>within-network</c>,
/// <c>across-architecture</c>, <c>across-dataset</c>), training and test models, the method, the
/// metric, the value (for MILAN methods each unit's score averaged over the seeds) with its 95% interval
/// over units and seeds (<see cref="SeedUnitInterval"/>), the two standard errors that make the interval,
/// and the lowest and highest per-seed value.
/// </summary>
public sealed record TableRow(string Experiment, string Train, string Test, string Method, string Metric, ConfidenceInterval Interval,
    int Seeds, double SeedMin, double SeedMax, double UnitStandardError = 0, double SeedStandardError = 0);
