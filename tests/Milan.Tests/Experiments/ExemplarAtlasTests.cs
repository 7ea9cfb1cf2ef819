using Milan.Annotations;
using Milan.Exemplars;
using Milan.Experiments;
using Milan.Tests.Datasets;
using Milan.Tests.Support;
using Milan.Visualization.Atlas;
using SkiaSharp;

namespace Milan.Tests.Experiments;

public class ExemplarAtlasTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _dataset;

    public ExemplarAtlasTests() => _dataset = AtlasFixture.Write(_folder.Path);

    public void Dispose() => _folder.Dispose();

    private AtlasIndex Index(string atlas) => AtlasIndex.ParseScript(File.ReadAllText(Path.Combine(atlas, AtlasPaths.SearchIndex)));

    [Fact]
    public void Every_unit_of_every_layer_gets_its_page_with_annotations_and_descriptions()
    {
        string descriptions = _folder.File("descriptions.csv");
        File.WriteAllText(descriptions, "layer,unit,description\nconv1,1,blue sky\nlayer4,5,wheels\nlayer4,77,a unit that is not there\n");
        string atlas = _folder.File("atlas");

        ExemplarAtlas.Write([DatasetKeys.ForFolder(_dataset)], atlas, descriptions);

        var index = Index(atlas);
        Assert.Equal([("conv1", 3), ("layer4", 2)], index.Layers.Select(l => (l.Layer, l.Units)));
        Assert.Equal(["toynet/photos"], index.Layers.Select(l => l.Model).Distinct());
        Assert.Equal([0, 1, 2, 5, 9], index.Units.Select(u => u.Unit));
        Assert.Equal(["red stripes", "a <red> blob, small"], index.Units[0].Annotations);
        Assert.Equal("blue sky", index.Units[1].Description);
        Assert.Equal("wheels", index.Units[3].Description);
        Assert.Equal(["dog faces"], index.Units[4].Annotations);
        Assert.Null(index.Units[4].Description);
        foreach (var unit in index.Units) Assert.True(File.Exists(Path.Combine(atlas, unit.Page)), unit.Page);
    }

    [Fact]
    public void A_sheet_shows_the_units_exemplars_in_rank_order_dimmed_outside_the_mask()
    {
        string atlas = _folder.File("atlas");
        ExemplarAtlas.Write([DatasetKeys.ForFolder(_dataset)], atlas);

        // layer4's second unit (id 9, position 1): five tiles of 16 px with 2 px gaps in one row.
        using var sheet = SKBitmap.Decode(Path.Combine(atlas, AtlasPaths.Sheet("toynet/photos", "layer4", 9)));
        Assert.Equal((5 * 16 + 6 * 2, 16 + 2 * 2), (sheet.Width, sheet.Height));
        for (int rank = 0; rank < AtlasFixture.K; rank++)
        {
            int left = 2 + rank * 18;
            byte grey = AtlasFixture.Grey(1, 1, rank);
            // JPEG blurs the edges of the 8 × 8 blocks: a tolerance well below the difference it checks.
            Assert.InRange(sheet.GetPixel(left + 3, 10).Red, grey - 12, grey + 12);            // inside the mask
            Assert.InRange(sheet.GetPixel(left + 11, 10).Red, grey / 4 - 12, grey / 4 + 12);  // outside: a quarter
        }
        using var thumb = SKBitmap.Decode(Path.Combine(atlas, AtlasPaths.Thumbnail("toynet/photos", "layer4", 9)));
        Assert.Equal((3 * 16 + 4 * 2, 20), (thumb.Width, thumb.Height));
    }

    [Fact]
    public void Top_images_are_named_by_file_and_licence_when_the_image_folder_is_known()
    {
        // Image folder of 3 pictures (a/0.png, a/1.png, b/2.png in index order) with a photo manifest for two of them.
        string photos = _folder.File("data/photos");
        foreach (var name in new[] { "a/0.png", "a/1.png", "b/2.png" })
            TestImages.Write(Path.Combine(photos, name), 8, 8, (x, y) => ((byte)(x * 20), (byte)(y * 20), 90, 255));
        File.WriteAllText(Path.Combine(photos, "manifest.csv"), "image,package,source,license\na/1.png,a,usr/1.png,GPL-2\nb/2.png,b,usr/2.png,CC0-1.0\n");
        new ExemplarManifest(new ExemplarSettings("toy", "photos", 3, 16, 16, AtlasFixture.K, 0.99, "linear", 4096, 0, null, [0, 0, 0], [1, 1, 1]),
            new SortedDictionary<string, ExemplarLayerInfo>()).Write(_dataset);
        File.WriteAllText(Path.Combine(_dataset, "conv1", "ids.csv"), "2,1,0,1,2\n0,0,0,0,0\n1,1,1,1,1\n");
        string atlas = _folder.File("atlas");

        ExemplarAtlas.Write([DatasetKeys.ForFolder(_dataset)], atlas, dataRoot: _folder.File("data"));

        string page = File.ReadAllText(Path.Combine(atlas, AtlasPaths.UnitPage("toynet/photos", "conv1", 0)));
        Assert.Contains("<tr><td>1</td><td>2</td><td></td><td>b/2.png (CC0-1.0)</td></tr>", page);
        Assert.Contains("<tr><td>2</td><td>1</td><td></td><td>a/1.png (GPL-2)</td></tr>", page);
        Assert.Contains("<tr><td>3</td><td>0</td><td></td><td>a/0.png</td></tr>", page);
        Assert.DoesNotContain("<th>image</th>", File.ReadAllText(Path.Combine(atlas, AtlasPaths.UnitPage("toynet/photos", "layer4", 5))));
    }

    [Fact]
    public void Descriptions_that_match_no_unit_are_an_error_naming_the_file()
    {
        string descriptions = _folder.File("other.csv");
        File.WriteAllText(descriptions, "model,layer,unit,description\nalexnet/imagenet,conv1,0,dogs\n");

        var error = Assert.Throws<MilanInputException>(() => ExemplarAtlas.Write([DatasetKeys.ForFolder(_dataset)], _folder.File("atlas"), descriptions));

        Assert.Contains("other.csv", error.Message);
        Assert.Contains("no row describes a unit", error.Message);
        Assert.False(Directory.Exists(_folder.File("atlas")));
    }

    [Fact]
    public void The_command_writes_the_site_and_refuses_an_existing_folder()
    {
        string atlas = _folder.File("site");
        var (code, output) = MilanCli.Run("atlas", _dataset, "--annotations", Path.Combine(_dataset, "annotations.csv"), "--out", atlas);
        Assert.True(code == 0, output);
        Assert.Contains("atlas of 1 dataset(s) written", output);
        Assert.True(File.Exists(Path.Combine(atlas, "index.html")));

        var (again, message) = MilanCli.Run("atlas", _dataset, "--out", atlas);
        Assert.NotEqual(0, again);
        Assert.Contains("already exists", message);
    }
}
