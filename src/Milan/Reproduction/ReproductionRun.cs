namespace Milan.Reproduction;

/// <summary>A finished <c>milan reproduce</c>: every step's record, the total time and the report written.</summary>
public sealed record ReproductionRun(
    Profile Profile,
    string Device,
    ReproductionRoots Roots,
    IReadOnlyList<StepRecord> Steps,
    DateTimeOffset Started,
    double WallSeconds,
    string ReportPath)
{
    /// <summary>0 when every step succeeded, 2 when a step failed or threw.</summary>
    public int ExitCode => Steps.All(s => s.Succeeded) ? 0 : 2;
}
