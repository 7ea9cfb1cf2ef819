namespace Milan.Experiments;

/// <summary>
/// One row group of Table 3: an experiment kind (e.g. "across-dataset"), the names of its train and
/// test sides, and the units of each side (<see cref="TableBench.Part"/>s).
/// </summary>
public sealed record TableExperiment(string Experiment, string Train, string Test, IReadOnlyList<TableBench.Part> TrainParts, IReadOnlyList<TableBench.Part> TestParts);
