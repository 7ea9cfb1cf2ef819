namespace Milan.Reproduction;

/// <summary>How one step went in a run: status "done", "skipped" (outputs complete), "failed" (part of the work failed), "error" (it threw) or "not run".</summary>
public sealed record StepRecord(string Name, string Description, string Status, double WallSeconds, IReadOnlyList<KeyNumber> Numbers, string? Message)
{
    public const string DoneStatus = "done";
    public const string SkippedStatus = "skipped";
    public const string FailedStatus = "failed";
    public const string ErrorStatus = "error";
    public const string NotRunStatus = "not run";

    public bool Succeeded => Status is DoneStatus or SkippedStatus;
}
