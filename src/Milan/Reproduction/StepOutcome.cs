namespace Milan.Reproduction;

/// <summary>
/// What a step returns: whether it found its outputs complete and did nothing, whether part of its
/// work failed without stopping the run (e.g. a notebook cell raised), its key numbers for the report,
/// and a one-line message.
/// </summary>
public sealed record StepOutcome(bool Skipped, IReadOnlyList<KeyNumber> Numbers, bool Failed = false, string? Message = null)
{
    public static StepOutcome Done(IReadOnlyList<KeyNumber> numbers, string? message = null) => new(false, numbers, false, message);

    public static StepOutcome SkippedWith(IReadOnlyList<KeyNumber> numbers, string? message = null) => new(true, numbers, false, message);
}
