using Milan.Stats;

namespace Milan.Evaluation;

/// <summary>
/// One line of an agreement table: who is scored (<see cref="Agreement.Annotators"/> for
/// inter-annotator agreement, else a method's name), the metric, the scope (<c>all</c>, <c>model</c>
/// or <c>layer</c>), the group within it (<c>all</c>, a model key, or <c>model:layer</c>), and the
/// value with its bootstrap interval over the group's units.
/// </summary>
public sealed record AgreementRow(string Method, string Metric, string Scope, string Group, ConfidenceInterval Interval);
