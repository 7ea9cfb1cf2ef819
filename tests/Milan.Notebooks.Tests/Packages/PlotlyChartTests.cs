using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Packages;

/// <summary>
/// #r "nuget: Plotly.NET.CSharp" restores for real, and a chart displayed with the portable recipe
/// of docs/notebooks.md renders in headless Chromium from the nbconvert HTML of the executed
/// notebook, with plotly.js served from a local copy (Plotly.NET's embedded resource) in place of
/// the CDN and Debian's require.js that nbconvert's page loads.
/// </summary>
public sealed partial class PlotlyChartTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_plotly_chart_restores_displays_as_html_and_renders_offline_in_chromium()
    {
        string notebook = NotebookFile.Write(_folder.File("chart.ipynb"), Notebook(
            Code("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\n" +
                 "using Plotly.NET;\n" +
                 "Defaults.DefaultDisplayOptions = DisplayOptions.init(null, null, null, null, null, null,\n" +
                 "    PlotlyJSReference.NewRequire($\"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min\"));\n" +
                 "Console.WriteLine(typeof(GenericChart).Assembly.Location);\n" +
                 "Console.WriteLine(Globals.PLOTLYJS_VERSION);", "p1"),
            Code("using Plotly.NET.CSharp;\n" +
                 "var chart = Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 3 }, Name: \"milan-test-series\",\n" +
                 "    ShowLegend: true);\n" +
                 "display(HTML(GenericChart.toChartHTML(chart)));", "p2")));

        var run = NotebookRun.Execute(notebook);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["Installed Packages\n - Plotly.NET.CSharp, 0.14.0"], run.Displayed("p1", "text/plain"));
        string fragment = Assert.Single(run.Displayed("p2", "text/html"));
        Assert.Contains("Plotly.newPlot", fragment);
        Assert.Contains("milan-test-series", fragment);
        DebianNotebookTools.AssertValidAndConvertible(run.OutputPath);

        // plotly.js from the restored Plotly.NET assembly, next to the page, instead of the CDN
        string[] printed = run.Stream("p1").Split('\n');
        string plotlyAssembly = printed[0], version = printed[1];
        string localPlotly = _folder.File($"plotly-{version}.min.js");
        File.WriteAllBytes(localPlotly, EmbeddedPlotly(plotlyAssembly, version));
        string cdn = $"https://cdn.plot.ly/plotly-{version}.min";
        string html = File.ReadAllText(DebianNotebookTools.ConvertWithJupyterNbconvert(run.OutputPath));
        Assert.Contains(cdn, html);
        html = html.Replace(cdn, new Uri(localPlotly[..^".js".Length]).AbsoluteUri, StringComparison.Ordinal);

        var page = HeadlessChromium.Render(html, _folder.Path);

        Assert.Empty(page.ScriptErrors);
        Assert.DoesNotContain(page.FailedResources, r => r.Contains("plotly") || r.Contains("require"));
        Assert.Matches(MainSvg(), page.Dom);
        Assert.Contains(">milan-test-series</text>", page.Dom); // the legend, drawn by plotly.js as SVG text
    }

    /// <summary>Plotly.NET ships plotly.min.js as a manifest resource; read it without loading F# types.</summary>
    private static byte[] EmbeddedPlotly(string assemblyPath, string version)
    {
        var context = new AssemblyLoadContext("plotly-resource", isCollectible: true);
        try
        {
            using var resource = context.LoadFromAssemblyPath(assemblyPath).GetManifestResourceStream($"Plotly.NET.plotly-{version}.min.js")
                ?? throw new InvalidOperationException($"no plotly-{version}.min.js in {assemblyPath}");
            using var copy = new MemoryStream();
            resource.CopyTo(copy);
            return copy.ToArray();
        }
        finally
        {
            context.Unload();
        }
    }

    [GeneratedRegex(@"<svg[^>]*class=""main-svg""")]
    private static partial Regex MainSvg();

    public void Dispose() => _folder.Dispose();
}
