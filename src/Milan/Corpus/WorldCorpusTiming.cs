namespace Milan.Corpus;

/// <summary>
/// How long one item of a build stage took (wall and process CPU seconds), or that it was skipped as
/// complete; <see cref="Repaired"/> says which of its files were found damaged (deleted or changed
/// since they were written) when that is why it was rebuilt.
/// </summary>
public sealed record WorldCorpusTiming(WorldCorpusStage Stage, string Item, bool Skipped, double WallSeconds, double CpuSeconds, string? Repaired = null);
