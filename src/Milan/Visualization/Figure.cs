using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.IO;

namespace Milan.Visualization;

/// <summary>
/// A chart as a plotly.js figure (<c>{"data": [traces], "layout": {...}}</c>, the schema documented
/// at plotly.com/javascript/reference). Notebooks display it as <see cref="MimeType"/>, which VS Code
/// and JupyterLab draw with their own plotly.js, plus an HTML fallback (<see cref="ToHtmlFragment"/>)
/// that draws with a global <c>Plotly</c> when the page has loaded one; pages saved by
/// <see cref="SaveHtml"/> load the local copy of plotly.js beside them.
/// </summary>
public sealed class Figure
{
    /// <summary>The MIME type of plotly figure JSON in notebook outputs.</summary>
    public const string MimeType = "application/vnd.plotly.v1+json";

    public string Title { get; }

    /// <summary>The figure: "data" (the traces) and "layout".</summary>
    public JsonObject Spec { get; }

    public Figure(string title, JsonObject spec)
    {
        Title = title;
        Spec = spec;
    }

    public string ToJson() => Spec.ToJsonString();

    /// <summary>The chart as a &lt;div&gt; plus drawing script; draws when plotly.js is loaded on the page, else says so.</summary>
    public string ToHtmlFragment()
    {
        string id = "milan-chart-" + Guid.NewGuid().ToString("N");
        string figure = ToJson().Replace("</", "<\\/", StringComparison.Ordinal);
        return $"<div id=\"{id}\" class=\"milan-chart\"></div>\n<script type=\"text/javascript\">(function () {{\n"
               + $"  var target = document.getElementById(\"{id}\"), figure = {figure};\n"
               + "  if (window.Plotly) { window.Plotly.newPlot(target, figure.data, figure.layout); }\n"
               + $"  else {{ target.textContent = {JsonSerializer.Serialize("Chart \"" + Title + "\": plotly.js is not loaded on this page.")}; }}\n"
               + "})();</script>";
    }

    /// <summary>
    /// Writes a page for this chart to <paramref name="path"/> atomically; it loads plotly.js from
    /// the same folder, copied there once for all the charts of the folder.
    /// </summary>
    public void SaveHtml(string path)
    {
        PlotlyJs.EnsureIn(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path,
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + WebUtility.HtmlEncode(Title) + "</title>\n"
            + $"<script type=\"text/javascript\" src=\"{PlotlyJs.FileName}\"></script>\n</head><body>\n"
            + ToHtmlFragment() + "\n</body></html>\n");
    }
}
