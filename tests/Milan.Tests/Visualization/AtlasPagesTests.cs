using Milan.Visualization.Atlas;

namespace Milan.Tests.Visualization;

public class AtlasPagesTests
{
    /// <summary>A layer held in memory; its sheets are plain grey, as wide as the exemplars asked for.</summary>
    private sealed class MemoryLayer(string model, string name, params AtlasUnit[] units) : IAtlasLayer
    {
        public string Model => model;
        public string Name => name;
        public IReadOnlyList<AtlasUnit> Units => units;
        public int ExemplarsPerUnit => 4;

        public (byte[] Rgba, int Width, int Height) Sheet(int position, int exemplars)
        {
            int width = 10 * exemplars, height = 10;
            var rgba = new byte[width * height * 4];
            Array.Fill(rgba, (byte)128);
            return (rgba, width, height);
        }
    }

    private static IReadOnlyList<IAtlasLayer> TwoLayers() =>
    [
        new MemoryLayer("resnet18/world-a", "layer1", new AtlasUnit(0, "red <stripes> & dots", ["stripes", "lines"]), new AtlasUnit(3, null, [])),
        new MemoryLayer("resnet18/world-a", "layer4", new AtlasUnit(7, null, ["dog faces"], [11, 4], [2.5f, 1.25f])),
    ];

    [Fact]
    public void The_index_lists_every_layer_and_unit_with_its_text_and_links()
    {
        var index = AtlasIndex.Of(TwoLayers());

        Assert.Equal([("layer1", 2, "m/resnet18_world-a/layer1/index.html"), ("layer4", 1, "m/resnet18_world-a/layer4/index.html")],
            index.Layers.Select(l => (l.Layer, l.Units, l.Page)));
        var unit = index.Units.Single(u => u.Unit == 7);
        Assert.Equal(("resnet18/world-a", "layer4", (string?)null, "dog faces"), (unit.Model, unit.Layer, unit.Description, unit.Annotations.Single()));
        Assert.Equal("m/resnet18_world-a/layer4/unit_0007.html", unit.Page);
        Assert.Equal("m/resnet18_world-a/layer4/thumbs/unit_0007.jpg", unit.Thumbnail);
    }

    [Fact]
    public void The_index_script_assigns_json_that_no_text_can_break_out_of()
    {
        var index = AtlasIndex.Of(TwoLayers());
        string script = index.Script();

        Assert.StartsWith("window.MILAN_ATLAS = {", script);
        Assert.DoesNotContain("<stripes>", script);
        var back = AtlasIndex.ParseScript(script);
        Assert.Equal("red <stripes> & dots", back.Units[0].Description);
        Assert.Equal(index.Units.Select(u => u.Page), back.Units.Select(u => u.Page));
    }

    [Fact]
    public void A_layer_page_links_to_the_other_layers_and_to_each_unit()
    {
        var index = AtlasIndex.Of(TwoLayers());
        string html = AtlasPages.Layer(index, "resnet18/world-a", "layer1");

        Assert.Contains("<span class=\"current\">layer1</span>", html);
        Assert.Contains("href=\"../../../m/resnet18_world-a/layer4/index.html\">layer4</a>", html);
        Assert.Contains("data-i=\"0\" href=\"../../../m/resnet18_world-a/layer1/unit_0000.html\"", html);
        Assert.Contains("data-i=\"1\" href=\"../../../m/resnet18_world-a/layer1/unit_0003.html\"", html);
        Assert.DoesNotContain("unit_0007", html);
        Assert.Contains("red &lt;stripes&gt; &amp; dots", html);
        Assert.Contains("<script src=\"../../../atlas-index.js\"></script>", html);
    }

    [Fact]
    public void A_unit_page_shows_sheet_description_annotations_top_images_and_neighbours()
    {
        var index = AtlasIndex.Of(TwoLayers());
        var layers = TwoLayers();

        string first = AtlasPages.Unit(index, "resnet18/world-a", "layer1", layers[0].Units[0], 4);
        Assert.Contains("src=\"../../../m/resnet18_world-a/layer1/sheets/unit_0000.jpg\"", first);
        Assert.Contains("<p id=\"description\">red &lt;stripes&gt; &amp; dots</p>", first);
        Assert.Contains("<li>stripes</li>\n<li>lines</li>", first);
        Assert.Contains("rel=\"next\" href=\"../../../m/resnet18_world-a/layer1/unit_0003.html\"", first);
        Assert.DoesNotContain("rel=\"prev\"", first);

        string last = AtlasPages.Unit(index, "resnet18/world-a", "layer4", layers[1].Units[0], 4);
        Assert.Contains("class=\"missing\">none (describe", last);
        Assert.Contains("<tr><td>1</td><td>11</td><td>2.5</td></tr>", last);
        Assert.Contains("<tr><td>2</td><td>4</td><td>1.25</td></tr>", last);
    }

    [Fact]
    public void The_start_page_counts_described_and_annotated_units_per_layer()
    {
        string html = AtlasPages.Start(AtlasIndex.Of(TwoLayers()));

        Assert.Contains("<h2>resnet18/world-a</h2>", html);
        Assert.Contains("<a href=\"m/resnet18_world-a/layer1/index.html\">layer1</a></td><td>2</td><td>1</td><td>1</td>", html);
        Assert.Contains("<a href=\"m/resnet18_world-a/layer4/index.html\">layer4</a></td><td>1</td><td>0</td><td>1</td>", html);
        Assert.Contains("<script src=\"atlas-index.js\"></script>", html);
    }

    [Theory]
    [InlineData("resnet18/world-a", "resnet18_world-a")]
    [InlineData("features.0", "features.0")]
    [InlineData("..", "_..")]
    [InlineData("a b?c", "a_b_c")]
    public void Names_become_safe_folder_names(string name, string slug) => Assert.Equal(slug, AtlasPaths.Slug(name));

    [Fact]
    public void Two_layers_that_would_share_a_folder_are_refused_and_nothing_is_written()
    {
        using var folder = new Support.TempFolder();
        string output = folder.File("atlas");
        var error = Assert.Throws<MilanInputException>(() => AtlasSite.Write(output,
            [new MemoryLayer("a/b", "l", new AtlasUnit(0, null, [])), new MemoryLayer("a_b", "l", new AtlasUnit(0, null, []))]));

        Assert.Contains("m/a_b/l", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Sheets_are_written_whole_and_thumbnails_scaled_to_their_width()
    {
        using var folder = new Support.TempFolder();
        var wide = new MemoryLayer("m", "l", new AtlasUnit(2, null, []));
        string output = folder.File("atlas");
        AtlasSite.Write(output, [wide]);

        using var sheet = SkiaSharp.SKBitmap.Decode(Path.Combine(output, "m/m/l/sheets/unit_0002.jpg"));
        using var thumb = SkiaSharp.SKBitmap.Decode(Path.Combine(output, "m/m/l/thumbs/unit_0002.jpg"));
        Assert.Equal((40, 10), (sheet.Width, sheet.Height));
        Assert.Equal((30, 10), (thumb.Width, thumb.Height));
        Assert.True(File.Exists(Path.Combine(output, "m/m/l/unit_0002.html")));
        Assert.True(File.Exists(Path.Combine(output, ".milan-seal.json")));

        using var scaled = SkiaSharp.SKBitmap.Decode(AtlasImages.Jpeg(new byte[400 * 100 * 4], 400, 100, maxWidth: 300));
        Assert.Equal((300, 75), (scaled.Width, scaled.Height));
    }
}
