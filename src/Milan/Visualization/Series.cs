namespace Milan.Visualization;

/// <summary>
/// One named line of a chart: y against x, with an optional interval (e.g. a 95% bootstrap
/// confidence interval or the spread over seeds) drawn as a shaded band.
/// </summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y,
                                IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null);

/// <summary>One named group of bars, one value per category, with optional interval ends drawn as error bars.</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values,
                               IReadOnlyList<double>? Lower = null, IReadOnlyList<double>? Upper = null);
