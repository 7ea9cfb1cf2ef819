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
    public void Standalone_page_inlines_plotly_and_carries_the_data()
    {
        string html = TwoLines().ToStandaloneHtml();

        Assert.Contains(PlotlyJs.Source[..200], html);
        Assert.DoesNotContain("<script src=", html);
        Assert.Contains("\"name\":\"adjectives\"", html);
        Assert.Contains("0.85", html);
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
