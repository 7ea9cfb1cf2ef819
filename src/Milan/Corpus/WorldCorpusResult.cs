namespace Milan.Corpus;

/// <summary>What a world corpus build produced (the manifest it wrote) and how long each item took.</summary>
public sealed record WorldCorpusResult(WorldCorpusManifest Manifest, IReadOnlyList<WorldCorpusTiming> Timings)
{
    public bool AllSkipped => Timings.All(t => t.Skipped);
}
