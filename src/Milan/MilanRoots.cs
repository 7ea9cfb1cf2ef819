namespace Milan;

/// <summary>
/// The three roots every stage reads and writes under, named as in the reference implementation:
/// MILAN_DATA_DIR (datasets, exemplars, annotations), MILAN_MODELS_DIR (trained models) and
/// MILAN_RESULTS_DIR (descriptions, tables, figures, reports). When a variable is unset the root is
/// data/, models/ or results/ in the repository (found by walking up from the working directory to
/// Milan.Research.sln), else under the working directory.
/// </summary>
public static class MilanRoots
{
    public static string Data => Resolve("MILAN_DATA_DIR", "data");

    public static string Models => Resolve("MILAN_MODELS_DIR", "models");

    public static string Results => Resolve("MILAN_RESULTS_DIR", "results");

    /// <summary>The repository root, or null when not running inside a clone.</summary>
    public static string? Repository => FindRepository(Directory.GetCurrentDirectory()) ?? FindRepository(AppContext.BaseDirectory);

    private static string Resolve(string variable, string folder)
    {
        string? value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value)) return Path.GetFullPath(value);
        return Path.Combine(Repository ?? Directory.GetCurrentDirectory(), folder);
    }

    private static string? FindRepository(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Milan.Research.sln"))) return dir.FullName;
        return null;
    }
}
