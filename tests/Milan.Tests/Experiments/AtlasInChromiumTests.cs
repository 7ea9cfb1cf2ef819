using System.Text.RegularExpressions;
using Milan.Annotations;
using Milan.Experiments;
using Milan.Tests.Support;

namespace Milan.Tests.Experiments;

/// <summary>The atlas opened from file:// in headless Chromium, offline: it loads, its images decode, search filters.</summary>
[Trait("Tier", "Integration")]
public partial class AtlasInChromiumTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _atlas;

    public AtlasInChromiumTests()
    {
        string dataset = AtlasFixture.Write(_folder.Path);
        string descriptions = _folder.File("descriptions.csv");
        File.WriteAllText(descriptions, "layer,unit,description\nconv1,1,blue sky over water\nlayer4,5,wheels of cars\n");
        _atlas = _folder.File("atlas");
        ExemplarAtlas.Write([DatasetKeys.ForFolder(dataset)], _atlas, descriptions);
    }

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex("data-images=\"(\\d+)/(\\d+)\"")]
    private static partial Regex ImagesAttribute();

    [GeneratedRegex("data-matches=\"(\\d+)\"")]
    private static partial Regex MatchesAttribute();

    private static (int Decoded, int Total) Images(string dom)
    {
        var match = ImagesAttribute().Match(dom);
        Assert.True(match.Success, "the page script did not report its images:\n" + dom);
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    private static int Matches(string dom)
    {
        var match = MatchesAttribute().Match(dom);
        Assert.True(match.Success, "the page script did not report matches:\n" + dom);
        return int.Parse(match.Groups[1].Value);
    }

    [Fact]
    public void Search_from_the_start_page_finds_units_by_description_and_annotation_prefixes()
    {
        string sky = HeadlessChromium.DumpDom(Path.Combine(_atlas, "index.html"), query: "?q=Sky");
        Assert.Equal(1, Matches(sky));
        Assert.Contains("m/toynet_photos/conv1/unit_0001.html", sky);
        Assert.Equal((1, 1), Images(sky));

        string red = HeadlessChromium.DumpDom(Path.Combine(_atlas, "index.html"), query: "?q=red%20blo");
        Assert.Equal(1, Matches(red));
        Assert.Contains("m/toynet_photos/conv1/unit_0000.html", red);

        string layer4 = HeadlessChromium.DumpDom(Path.Combine(_atlas, "index.html"), query: "?q=layer4");
        Assert.Equal(2, Matches(layer4));
        Assert.Equal((2, 2), Images(layer4));

        Assert.Equal(0, Matches(HeadlessChromium.DumpDom(Path.Combine(_atlas, "index.html"), query: "?q=zebra")));
    }

    [Fact]
    public void A_layer_page_shows_every_thumbnail_and_its_filter_hides_the_others()
    {
        string page = Path.Combine(_atlas, "m", "toynet_photos", "conv1", "index.html");
        string all = HeadlessChromium.DumpDom(page);
        Assert.Equal((3, 3), Images(all));
        Assert.DoesNotContain("unit hidden", all);

        string filtered = HeadlessChromium.DumpDom(page, query: "?q=stripes");
        Assert.Equal(1, Matches(filtered));
        Assert.Equal(2, Regex.Count(filtered, "class=\"unit hidden\""));
        Assert.Contains("id=\"search-all\" href=\"../../../index.html?q=stripes\"", filtered);
    }

    [Fact]
    public void A_unit_page_shows_its_sheet_and_the_screenshot_is_drawn()
    {
        string page = Path.Combine(_atlas, "m", "toynet_photos", "conv1", "unit_0000.html");
        string dom = HeadlessChromium.DumpDom(page);
        Assert.Equal((1, 1), Images(dom));
        Assert.Contains("<li>a &lt;red&gt; blob, small</li>", dom);

        string png = _folder.File("unit.png");
        HeadlessChromium.Screenshot(page, png, 800, 600);
        using var shot = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((800, 600), (shot.Width, shot.Height));
    }
}
