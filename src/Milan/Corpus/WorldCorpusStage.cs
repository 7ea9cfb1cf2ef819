namespace Milan.Corpus;

/// <summary>The stages of the world corpus build, in order; forcing one redoes it and every later stage.</summary>
public enum WorldCorpusStage
{
    Worlds,
    Subjects,
    Exemplars,
    Annotations,
}

public static class WorldCorpusStages
{
    public static string Name(WorldCorpusStage stage) => stage.ToString().ToLowerInvariant();

    public static WorldCorpusStage Parse(string text) =>
        Enum.GetValues<WorldCorpusStage>().FirstOrDefault(s => Name(s) == text.Trim().ToLowerInvariant(), (WorldCorpusStage)(-1)) is var stage && Enum.IsDefined(stage)
            ? stage
            : throw new MilanInputException($"--force-stage {text}: expected one of {string.Join(", ", Enum.GetValues<WorldCorpusStage>().Select(Name))}");
}
