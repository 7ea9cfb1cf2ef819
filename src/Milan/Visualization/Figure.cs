using System.Net;
using Milan.IO;
using Plotly.NET;

namespace Milan.Visualization;

/// <summary>
/// A Plotly chart with a title, shown inline (notebooks: an HTML fragment that draws with a global
/// <c>Plotly</c>) and saved as a standalone page that works offline (plotly.js inlined from the copy
/// that Plotly.NET embeds, so no CDN is needed).
/// </summary>
public sealed class Figure
{
    public string Title { get; }

    public GenericChart Chart { get; }

    public Figure(string title, GenericChart chart)
    {
        Title = title;
        Chart = chart;
    }

    /// <summary>The chart as a &lt;div&gt; plus drawing script; needs plotly.js loaded on the page.</summary>
    /// <remarks>
    /// Drawn with a global <c>Plotly</c> whatever <c>Defaults.DefaultDisplayOptions</c> says: notebooks
    /// set that to load plotly.js through require.js from a CDN, which a saved page cannot do offline.
    /// </remarks>
    public string ToHtmlFragment() => GenericChart.toChartHTML(
        Plotly.NET.Chart.withDisplayOptions(DisplayOptions.init(null, null, null, null, null, null, PlotlyJSReference.NoReference)).Invoke(Chart));

    /// <summary>A complete HTML page with plotly.js inlined: opens offline in any browser.</summary>
    public string ToStandaloneHtml() => Page("<script type=\"text/javascript\">" + PlotlyJs.Source + "</script>");

    /// <summary>
    /// Writes the page to <paramref name="path"/> atomically: with plotly.js inlined (3.6 MB), or
    /// loading plotly.min.js from the same folder, written there when missing (for many charts in one folder).
    /// </summary>
    public void SaveHtml(string path, bool inlinePlotly = true)
    {
        if (inlinePlotly)
        {
            AtomicFile.WriteAllText(path, ToStandaloneHtml());
            return;
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!File.Exists(Path.Combine(folder, "plotly.min.js"))) PlotlyJs.WriteTo(folder);
        AtomicFile.WriteAllText(path, Page("<script type=\"text/javascript\" src=\"plotly.min.js\"></script>"));
    }

    private string Page(string plotlyScript) =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(Title) + "</title>\n"
        + plotlyScript + "\n</head><body>\n" + ToHtmlFragment() + "\n</body></html>\n";
}
