using Milan.Tests.Support;
using Milan.Visualization;

namespace Milan.Tests.Visualization;

public class ChartsTests
{
    private static Figure TwoLines() => Charts.Lines("Accuracy after ablation", "fraction ablated", "accuracy",
    [
        new LineSeries("random", [0, 0.02, 0.04], [0.9, 0.85, 0.8], [0.88, 0.82, 0.76], [0.92, 0.88, 0.84]),
        new LineSeries("adjectives", [0, 0.02, 0.04], [0.9, 0.7, 0.5]),
    ]);

    [Fact]
    public void Figure_is_plotly_json_with_a_band_per_interval()
    {
        var spec = System.Text.Json.Nodes.JsonNode.Parse(TwoLines().ToJson())!;
        var traces = spec["data"]!.AsArray();

        // random: lower edge, upper edge filled down to it, the line; adjectives: the line only
        Assert.Equal(["random (lower)", "random (upper)", "random", "adjectives"], traces.Select(t => (string)t!["name"]!));
        Assert.Equal("tonexty", (string)traces[1]!["fill"]!);
        Assert.Equal([0.9, 0.85, 0.8], traces[2]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("Accuracy after ablation", (string)spec["layout"]!["title"]!["text"]!);
    }

    [Fact]
    public void Saved_pages_share_one_local_copy_of_plotly()
    {
        using var folder = new TempFolder();
        TwoLines().SaveHtml(folder.File("a.html"));
        TwoLines().SaveHtml(folder.File("b.html"));

        Assert.Equal(["a.html", "b.html", PlotlyJs.FileName], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(new FileInfo(PlotlyJs.SystemPath).Length, new FileInfo(folder.File(PlotlyJs.FileName)).Length);
        string page = File.ReadAllText(folder.File("a.html"));
        Assert.Contains($"<script type=\"text/javascript\" src=\"{PlotlyJs.FileName}\"></script>", page);
        Assert.DoesNotContain("http", page);
    }

    [Fact]
    public void Bars_with_intervals_become_asymmetric_error_bars()
    {
        var figure = Charts.Bars("BERTScore", "F", ["model A", "model B"],
            [new BarSeries("MILAN", [0.5, 0.4], [0.45, 0.30], [0.52, 0.47])]);

        string html = figure.ToHtmlFragment();

        Assert.Contains("\"error_y\"", html);
        Assert.Contains("\"array\":[0.020000000000000018,0.06999999999999995]", html);
        Assert.Contains("\"arrayminus\":[0.04999999999999999,0.10000000000000003]", html);
    }

    [Fact]
    public void Mismatched_series_are_rejected_with_the_series_name()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Charts.Lines("t", "x", "y", [new LineSeries("broken", [1, 2], [1])]));
        Assert.Contains("broken", error.Message);
    }

    [Fact]
    public void Saved_page_renders_its_chart_in_headless_chromium_offline()
    {
        using var folder = new TempFolder();
        string path = folder.File("figure.html");
        TwoLines().SaveHtml(path);

        string dom = HeadlessChromium.DumpDom(path);

        Assert.Contains("class=\"main-svg\"", dom);
        Assert.Contains("Accuracy after ablation", dom);
    }
}
