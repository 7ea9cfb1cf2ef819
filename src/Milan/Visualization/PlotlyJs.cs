namespace Milan.Visualization;

/// <summary>
/// The one local copy of plotly.js that chart pages load: Debian's python3-plotly ships it as
/// <see cref="SystemPath"/> (installed by scripts/setup.sh). Pages copy it beside themselves once per
/// folder and never load it from a CDN, so they draw without a network.
/// </summary>
public static class PlotlyJs
{
    public const string SystemPath = "/usr/share/python3-plotly/plotly.js";

    /// <summary>The file name pages use for their copy.</summary>
    public const string FileName = "plotly.js";

    /// <summary>Copies plotly.js into <paramref name="folder"/> unless it is there already; returns its path.</summary>
    public static string EnsureIn(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (File.Exists(path)) return path;
        if (!File.Exists(SystemPath))
            throw new InvalidOperationException($"plotly.js not found at {SystemPath}: install python3-plotly (bash scripts/setup.sh)");
        string partial = path + $".partial-{Guid.NewGuid():N}";
        File.Copy(SystemPath, partial);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
