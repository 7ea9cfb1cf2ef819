using Plotly.NET;

namespace Milan.Visualization;

/// <summary>
/// The plotly.js library that Plotly.NET embeds as a resource (version <see cref="Version"/>), for
/// pages that must render without a network connection.
/// </summary>
public static class PlotlyJs
{
    private static readonly Lazy<string> Script = new(Load);

    public static string Version => Globals.PLOTLYJS_VERSION;

    /// <summary>The minified library source.</summary>
    public static string Source => Script.Value;

    /// <summary>Writes plotly.min.js into <paramref name="folder"/> (for pages that reference it by a relative path).</summary>
    public static string WriteTo(string folder)
    {
        string path = Path.Combine(folder, "plotly.min.js");
        IO.AtomicFile.WriteAllText(path, Source);
        return path;
    }

    private static string Load()
    {
        string name = $"Plotly.NET.plotly-{Version}.min.js";
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Plotly.NET does not embed {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
