using Milan.Datasets;
using Milan.Tests.Support;
using Milan.World;
using SkiaSharp;

namespace Milan.Tests.World;

public class WorldCommandTests
{
    /// <summary>The exit code of a <c>milan</c> run; a run that ends otherwise than expected shows its output.</summary>
    private static void Expect(int code, params string[] args)
    {
        var (actual, output) = MilanCli.Run(args);
        Assert.True(actual == code, output);
    }

    [Fact]
    public void World_generate_sheet_and_annotate_run_from_the_command_line()
    {
        using var folder = new TempFolder();
        Expect(0, "world", "generate", "--profile", "tiny", "--size", "24", "--dataset", "b", "--variant", "spurious-text", "--out", folder.Path);
        string world = Path.Combine(folder.Path, "b", "spurious-text");
        using (var test = new NpyImageSource(Path.Combine(world, "test")))
            Assert.Equal(24, test.ImageSize);
        Assert.All(WorldGenerator.ReadScenes(Path.Combine(world, "test")), s => Assert.Contains(s.Texts, t => t.Spurious));

        string sheets = Path.Combine(folder.Path, "sheets");
        Expect(0, "world", "sheet", "--world", world, "--count", "3", "--per-class", "2", "--out", sheets);
        using (var contact = SKBitmap.Decode(Path.Combine(sheets, "contact-val.png")))
            Assert.True(contact.Height > 3 * 128);
        using (var classes = SKBitmap.Decode(Path.Combine(sheets, "classes-val.png")))
            Assert.True(classes.Width > 2 * 96);

        string exemplars = Path.Combine(folder.Path, "exemplars", "layer1");
        Directory.CreateDirectory(exemplars);
        using (var masks = new WorldConceptMasks(Path.Combine(world, "val")))
        {
            var objects = Enumerable.Range(0, 15).SelectMany(i => masks.LayerBytes(i).Take(24 * 24).Select(v => (byte)(v != 0 ? 1 : 0))).ToArray();
            Npy.Write<byte>(Path.Combine(exemplars, "masks.npy"), objects, 1, 15, 1, 24, 24);
        }
        File.WriteAllText(Path.Combine(exemplars, "ids.csv"), string.Join(",", Enumerable.Range(0, 15)) + "\n");
        string csv = Path.Combine(folder.Path, "annotations.csv");
        Expect(0, "annotate", "--exemplars", Path.Combine(folder.Path, "exemplars"), "--world", world, "--out", csv);
        Assert.Equal(4, File.ReadAllLines(csv).Length);

        Expect(1, "annotate", "--exemplars", Path.Combine(folder.Path, "missing"), "--world", world);
        Expect(1, "world", "generate", "--profile", "tiny", "--dataset", "c", "--out", folder.Path);
    }
}
