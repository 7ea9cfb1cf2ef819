namespace Milan.Reproduction;

/// <summary>
/// One named step of <c>milan reproduce</c>: a function of the context that does its work (skipping
/// whatever is already complete under the roots) and returns its key numbers. A step that throws
/// ends the run; the report is still written.
/// </summary>
public sealed record ReproductionStep(string Name, string Description, Func<ReproductionContext, StepOutcome> Run);
