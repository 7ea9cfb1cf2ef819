namespace Milan;

/// <summary>
/// One progress report from long library work. Library methods take an <c>IProgress&lt;WorkProgress&gt;</c>;
/// the CLI shows it as a Spectre.Console progress bar, notebooks as text.
/// </summary>
/// <param name="Task">What is being done, e.g. "exemplars layer4 pass 1".</param>
/// <param name="Done">Units of work finished so far.</param>
/// <param name="Total">Units of work in all (0 when unknown).</param>
/// <param name="Detail">Optional short status, e.g. "loss 2.31, val BLEU 12.4".</param>
public readonly record struct WorkProgress(string Task, long Done, long Total, string? Detail = null);
