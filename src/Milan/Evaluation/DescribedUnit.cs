namespace Milan.Evaluation;

/// <summary>
/// One row of a descriptions file (<see cref="DescriptionsFile"/>): a unit and its description.
/// <paramref name="Model"/> names the described model when the file covers several (its <c>model</c>
/// column), else null.
/// </summary>
public sealed record DescribedUnit(string? Model, string Layer, int Unit, string Description);
