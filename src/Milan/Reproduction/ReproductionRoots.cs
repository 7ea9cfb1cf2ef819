namespace Milan.Reproduction;

/// <summary>The three folders a reproduction reads and writes (see <see cref="MilanRoots"/>), as absolute paths.</summary>
public sealed record ReproductionRoots(string Data, string Models, string Results)
{
    /// <summary>Each root given, else its <see cref="MilanRoots"/> default (environment variable, else the repository's folder).</summary>
    public static ReproductionRoots Resolve(string? data = null, string? models = null, string? results = null) => new(
        Path.GetFullPath(data ?? MilanRoots.Data),
        Path.GetFullPath(models ?? MilanRoots.Models),
        Path.GetFullPath(results ?? MilanRoots.Results));

    /// <summary>The environment variables that make <see cref="MilanRoots"/> resolve to these roots in another process (a notebook).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["MILAN_DATA_DIR"] = Data,
        ["MILAN_MODELS_DIR"] = Models,
        ["MILAN_RESULTS_DIR"] = Results,
    };
}
