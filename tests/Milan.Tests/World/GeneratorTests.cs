using Milan.Datasets;
using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.World;

public class GeneratorTests
{
    private static readonly WorldSettings Small = new(32, 30, 24, 12);

    [Fact]
    public void A_generated_split_reads_back_as_an_image_source_with_its_scenes_and_masks()
    {
        using var folder = new TempFolder();
        var manifest = WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, Small, folder.Path);

        using var val = new NpyImageSource(Path.Combine(folder.Path, "val"));
        Assert.Equal(24, val.Count);
        Assert.Equal(32, val.ImageSize);
        Assert.Equal(WorldDatasets.A.ClassNames, val.ClassNames);
        Assert.Equal(manifest.ClassNames, val.ClassNames);
        Assert.Equal(13 % 10, val.Label(13));

        using var masks = new WorldConceptMasks(Path.Combine(folder.Path, "val"));
        Assert.Equal(24, masks.Count);
        var scene = WorldGenerator.SceneAt(WorldDatasets.A, WorldVariant.Normal, Small.Seed, "val", 13);
        var rendered = SceneRenderer.Render(scene, 32);
        using var image = val.ReadBytes([13]);
        using var layers = masks.Layers(13);
        Assert.Equal(rendered.Image, image.bytes.ToArray());
        Assert.Equal(rendered.Layers, layers.bytes.ToArray());
        Assert.Equal(scene.Objects.Count, masks.Scene(13).Objects.Count);

        Assert.True(File.Exists(Path.Combine(folder.Path, "test", WorldGenerator.ConceptsFile)));
        Assert.False(File.Exists(Path.Combine(folder.Path, "train", WorldGenerator.ConceptsFile)), "the training split keeps no masks");
        Assert.Equal(30, File.ReadAllLines(Path.Combine(folder.Path, "train", WorldGenerator.ScenesFile)).Length);
    }

    [Fact]
    public void The_same_settings_give_identical_files()
    {
        using var one = new TempFolder();
        using var two = new TempFolder();
        var settings = new WorldSettings(24, 10, 10, 0);
        WorldGenerator.Generate(WorldDatasets.B, WorldVariant.SpuriousText(), settings, one.Path);
        WorldGenerator.Generate(WorldDatasets.B, WorldVariant.SpuriousText(), settings, two.Path);

        foreach (var file in new[] { "manifest.json", "train/images.npy", "train/labels.npy", "val/concepts.npy", "val/scenes.jsonl", "val/classes.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(one.Path, file)), File.ReadAllBytes(Path.Combine(two.Path, file)));
        Assert.False(Directory.Exists(Path.Combine(one.Path, "test")), "an empty split is not written");
    }

    [Fact]
    public void Finished_splits_are_skipped_missing_ones_rebuilt_and_other_settings_refused()
    {
        using var folder = new TempFolder();
        var settings = new WorldSettings(24, 8, 8, 8);
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.FacesBlurred, settings, folder.Path);
        string marker = Path.Combine(folder.Path, "train", "marker");
        File.WriteAllText(marker, "kept");
        byte[] val = File.ReadAllBytes(Path.Combine(folder.Path, "val", "images.npy"));
        Directory.Delete(Path.Combine(folder.Path, "val"), recursive: true);
        Directory.CreateDirectory(Path.Combine(folder.Path, ".partial-test-crashed"));

        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.FacesBlurred, settings, folder.Path);

        Assert.True(File.Exists(marker), "the finished train split was not rebuilt");
        Assert.Equal(val, File.ReadAllBytes(Path.Combine(folder.Path, "val", "images.npy")));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, ".partial-test-crashed")));
        var error = Assert.Throws<MilanInputException>(() =>
            WorldGenerator.Generate(WorldDatasets.A, WorldVariant.FacesBlurred, settings with { Seed = 2 }, folder.Path));
        Assert.Contains("manifest.json", error.Message);
    }

    [Fact]
    public void Profiles_give_32_px_tiny_and_64_px_demo_worlds()
    {
        Assert.Equal(32, WorldSettings.For(Profile.Tiny).ImageSize);
        Assert.InRange(WorldSettings.For(Profile.Tiny).TrainCount, 100, 1000);
        Assert.Equal(64, WorldSettings.For(Profile.Demo).ImageSize);
        Assert.Contains("val", WorldSettings.For(Profile.Demo).MaskSplits);
    }

    [Fact]
    public void Numpy_reads_the_files_with_the_same_shapes_and_values()
    {
        using var folder = new TempFolder();
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, new WorldSettings(32, 0, 6, 0), folder.Path);
        string val = Path.Combine(folder.Path, "val");
        using var masks = new WorldConceptMasks(val);
        var bytes = masks.LayerBytes(4);
        int category = bytes.Take(32 * 32).Count(v => v != 0);
        long imageSum;
        using (var source = new NpyImageSource(val))
        using (var image = source.ReadBytes([4]))
            imageSum = image.bytes.ToArray().Sum(v => (long)v);

        string output = DebianPython.Run("""
            import sys, numpy as np
            d = sys.argv[1]
            images = np.load(d + '/images.npy'); concepts = np.load(d + '/concepts.npy'); labels = np.load(d + '/labels.npy')
            print(images.shape, images.dtype, concepts.shape, concepts.dtype, labels.dtype)
            print(int((concepts[4, 0] != 0).sum()), int(images[4].astype(np.int64).sum()), list(labels))
            """, val);

        var lines = output.Trim().Split('\n');
        Assert.Equal("(6, 3, 32, 32) uint8 (6, 6, 32, 32) uint8 int64", lines[0].Trim());
        Assert.Equal($"{category} {imageSum} [0, 1, 2, 3, 4, 5]", lines[1].Trim().Replace("np.int64(", "").Replace(")", ""));
    }
}
