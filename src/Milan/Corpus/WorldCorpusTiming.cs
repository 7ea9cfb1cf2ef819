namespace Milan.Corpus;

/// <summary>How long one item of a build stage took (wall and process CPU seconds), or that it was skipped as complete.</summary>
public sealed record WorldCorpusTiming(WorldCorpusStage Stage, string Item, bool Skipped, double WallSeconds, double CpuSeconds);
