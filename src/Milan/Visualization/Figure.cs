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
    public string ToHtmlFragment() => GenericChart.toChartHTML(Chart);

    /// <summary>A complete HTML page with plotly.js inlined: opens offline in any browser.</summary>
    public string ToStandaloneHtml() =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(Title) + "</title>\n"
        + "<script type=\"text/javascript\">" + PlotlyJs.Source + "</script>\n</head><body>\n"
        + ToHtmlFragment() + "\n</body></html>\n";

    /// <summary>Writes <see cref="ToStandaloneHtml"/> to <paramref name="path"/> atomically.</summary>
    public void SaveHtml(string path) => AtomicFile.WriteAllText(path, ToStandaloneHtml());
}
