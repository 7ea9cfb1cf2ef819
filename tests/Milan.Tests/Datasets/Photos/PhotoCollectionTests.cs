using System.Text;
using Milan.Datasets;
using Milan.Datasets.Photos;
using Milan.IO;
using Milan.Tests.Support;
using SkiaSharp;

namespace Milan.Tests.Datasets.Photos;

public class PhotoCollectionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _packages;

    public PhotoCollectionTests()
    {
        _packages = _folder.File("packages");
        PhotoPackagesFixture.Write(_packages);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Qt_resources_give_back_plain_and_zlib_entries_under_their_folders()
    {
        byte[] text = Encoding.UTF8.GetBytes("hello"), bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i % 7)).ToArray();
        string path = _folder.File("a.rcc");
        File.WriteAllBytes(path, PhotoPackagesFixture.QtResource([("x/y/plain.txt", text, false), ("x/packed.bin", bytes, true), ("top.txt", text, false)]));

        var files = QtResourceFile.Files(path).ToDictionary(f => f.Path, f => f.Data);

        Assert.Equal(["top.txt", "x/packed.bin", "x/y/plain.txt"], files.Keys.Order());
        Assert.Equal(text, files["x/y/plain.txt"]);
        Assert.Equal(bytes, files["x/packed.bin"]);
    }

    [Fact]
    public void A_file_that_is_not_a_Qt_resource_is_an_error_naming_it()
    {
        string path = _folder.File("fake.rcc");
        File.WriteAllText(path, "not a resource at all, just text");

        var error = Assert.Throws<MilanInputException>(() => QtResourceFile.Files(path).ToList());

        Assert.Contains("fake.rcc", error.Message);
        Assert.Contains("qres", error.Message);
    }

    [Fact]
    public void The_last_matching_copyright_paragraph_gives_the_licence_matched_on_any_path_tail()
    {
        var copyright = DebianCopyright.Read(Path.Combine(_packages, "mate-backgrounds"), "mate-backgrounds");

        Assert.Equal("CC0-1.0", copyright.LicenseOf("usr/share/backgrounds/mate/nature/forest.jpg"));
        Assert.Equal("GPL-2+", copyright.LicenseOf("usr/share/backgrounds/mate/abstract/stripes.png"));
        Assert.Equal("see x", DebianCopyright.Parse("This package is public domain.\n", "see x").LicenseOf("a/b.png"));
    }

    [Fact]
    public void Statistics_tell_flat_drawings_from_noisy_pictures_and_hash_a_picture_alike_at_two_sizes()
    {
        string mate = Path.Combine(_packages, "mate-backgrounds", "usr", "share", "backgrounds", "mate");
        var stripes = PhotoStatistics.Measure(File.ReadAllBytes(Path.Combine(mate, "abstract", "stripes.png")))!;
        var forest = PhotoStatistics.Measure(File.ReadAllBytes(Path.Combine(mate, "nature", "forest.jpg")))!;
        var small = PhotoStatistics.Measure(File.ReadAllBytes(Path.Combine(mate, "small", "forest-small.jpg")))!;

        Assert.Equal((200, 200, 3, 1.0), (stripes.Width, stripes.Height, stripes.Colours, stripes.TopColourShare));
        Assert.Equal(197.0 / 199, stripes.FlatShare, 6);   // per row, only the two colour boundaries differ
        Assert.True(forest.Colours > 2000 && forest.FlatShare < 0.1 && forest.TopColourShare < 0.05, forest.ToString());
        Assert.InRange(PhotoStatistics.HashDistance(forest.AverageHash, small.AverageHash), 0, PhotoCollection.DuplicateDistance);
        Assert.Null(PhotoStatistics.Measure(Encoding.UTF8.GetBytes("not an image")));
    }

    [Fact]
    public void Gathering_keeps_photographs_with_their_licences_and_says_why_the_rest_were_dropped()
    {
        string output = _folder.File("photos");
        var summaries = PhotoCollection.Gather(_packages, output, PhotoPackage.Debian, new PhotoFilter());

        var manifest = CsvFile.Read(Path.Combine(output, PhotoCollection.ManifestFile)).Skip(1).Select(r => r.Fields).ToArray();
        Assert.True(manifest.Length == 3, File.ReadAllText(Path.Combine(output, PhotoCollection.FilterFile)));
        Assert.Equal(
        [
            "gcompris-qt-data/act_gcompris_src_activities_act_resource_bird.webp",
            "mate-backgrounds/mate_nature_forest.jpg",
            "tuxpaint-stamps-default/animals_cut.png",
        ], manifest.Select(r => r[0]).Order());
        var forest = manifest.Single(r => r[0].EndsWith("forest.jpg"));
        Assert.Equal(["mate-backgrounds", "usr/share/backgrounds/mate/nature/forest.jpg", "CC0-1.0", "240", "200", "no"], forest[1..]);
        var bird = manifest.Single(r => r[0].EndsWith("bird.webp"));
        Assert.Equal("usr/share/gcompris-qt/rcc/act.rcc:/" + PhotoPackagesFixture.RccPhoto, bird[2]);
        Assert.Equal("unknown (no copyright file)", bird[3]);
        Assert.Equal("yes", manifest.Single(r => r[0].EndsWith("cut.png"))[6]);

        var verdicts = CsvFile.Read(Path.Combine(output, PhotoCollection.FilterFile)).Skip(1).ToDictionary(r => r.Fields[1], r => r.Fields[9]);
        Assert.Equal(6, verdicts.Count);
        Assert.StartsWith("few colours (3)", verdicts["usr/share/backgrounds/mate/abstract/stripes.png"]);
        Assert.StartsWith("small (64x64)", verdicts["usr/share/backgrounds/mate/icon.png"]);
        Assert.Equal("duplicate of mate-backgrounds:usr/share/backgrounds/mate/nature/forest.jpg", verdicts["usr/share/backgrounds/mate/small/forest-small.jpg"]);

        var mate = summaries.Single(s => s.Package == "mate-backgrounds");
        Assert.Equal((true, 4, 1), (mate.Present, mate.Found, mate.Kept));
        Assert.Equal(new Dictionary<string, int> { ["few"] = 1, ["small"] = 1, ["duplicate"] = 1 }, mate.Dropped);
        Assert.False(summaries.Single(s => s.Package == "opencv-doc").Present);

        // The original bytes are kept; the cut-out is drawn over the ImageNet mean grey.
        Assert.Equal(File.ReadAllBytes(Path.Combine(_packages, "mate-backgrounds", "usr/share/backgrounds/mate/nature/forest.jpg")),
            File.ReadAllBytes(Path.Combine(output, "mate-backgrounds", "mate_nature_forest.jpg")));
        using var cut = SKBitmap.Decode(Path.Combine(output, "tuxpaint-stamps-default", "animals_cut.png"));
        Assert.Equal(new SKColor(124, 116, 104, 255), cut.GetPixel(0, 0));

        var source = new ImageFolderSource(output);
        Assert.Equal(["gcompris-qt-data", "mate-backgrounds", "tuxpaint-stamps-default"], source.ClassNames);
        Assert.Equal(3, source.Count);
    }

    [Fact]
    public void The_command_prints_kept_and_dropped_per_package_and_refuses_a_root_without_packages()
    {
        string output = _folder.File("photos");
        var (code, text) = MilanCli.Run("data", "photos", "--packages", _packages, "--out", output);
        Assert.True(code == 0, text);
        Assert.Contains("3 photographs written", text);
        Assert.Matches(@"mate-backgrounds\s*│\s*4\s*│\s*1\s*│", text);
        Assert.Contains("not unpacked", text);

        var (failed, message) = MilanCli.Run("data", "photos", "--packages", _folder.File("nothing"), "--out", _folder.File("other"));
        Assert.NotEqual(0, failed);
        Assert.Contains("setup-photos.sh", message);
    }
}
