using Milan.Annotations;
using Milan.Tests.Support;

namespace Milan.Tests.Annotations;

public class DatasetKeysTests
{
    [Fact]
    public void Annotated_keys_carry_the_reference_addresses_counts_and_sources()
    {
        Assert.Equal(new[] { "alexnet/imagenet", "alexnet/places365", "resnet152/imagenet", "resnet152/places365", "biggan/imagenet", "biggan/places365", "dino_vits8/imagenet" },
            DatasetKeys.Annotated);
        var key = DatasetKeys.Get("dino_vits8/imagenet", "/data");
        Assert.Equal(new Uri("http://milan.csail.mit.edu/data/dino_vits8-imagenet.zip"), key.ArchiveUrl(DatasetKeys.DefaultBaseUrl));
        Assert.Equal(3, key.AnnotationCount);
        Assert.Equal(Path.Combine("/data", "imagenet", "val"), key.SourceImages);
        Assert.Equal(Path.Combine("/data", "dino_vits8", "imagenet"), key.Folder);
        Assert.Null(DatasetKeys.Get("biggan/places365").SourceImages);
        Assert.Equal(Path.Combine("/d", "places365", "val"), DatasetKeys.Get("resnet152/places365", "/d").SourceImages);
        Assert.Equal(new Uri("http://127.0.0.1:9/x/alexnet-places365.zip"), DatasetKeys.Get("alexnet/places365").ArchiveUrl("http://127.0.0.1:9/x/"));
    }

    [Fact]
    public void Unannotated_keys_have_no_count_and_no_archive()
    {
        Assert.Equal(13 * 2 + 3, DatasetKeys.Unannotated.Count);
        var key = DatasetKeys.Get("vgg16/imagenet-blurred");
        Assert.Null(key.AnnotationCount);
        Assert.Null(key.ArchiveName);
        Assert.Contains("resnet18/places365", DatasetKeys.Unannotated);
        Assert.Contains("resnet152/imagenet-blurred", DatasetKeys.Unannotated);
    }

    [Fact]
    public void Groupings_match_the_reference_in_content_and_order()
    {
        string[] @base = ["alexnet/imagenet", "alexnet/places365", "resnet152/imagenet", "resnet152/places365", "biggan/imagenet", "biggan/places365"];
        var g = DatasetKeys.Groupings;
        Assert.Equal(@base, g["base"]);
        Assert.Equal(@base[..4], g["cls"]);
        Assert.Equal(new[] { "biggan/imagenet", "biggan/places365" }, g["gen"]);
        Assert.Equal(new[] { "alexnet/imagenet", "resnet152/imagenet", "biggan/imagenet" }, g["imagenet"]);
        Assert.Equal(new[] { "alexnet/places365", "resnet152/places365", "biggan/places365" }, g["places365"]);
        Assert.Equal(new[] { "resnet152/imagenet", "resnet152/places365" }, g["resnet152"]);
        Assert.Equal(new[] { "alexnet/imagenet", "alexnet/places365", "resnet152/imagenet", "resnet152/places365", "biggan/imagenet" }, g["not-biggan-places365"]);
        Assert.Equal(new[] { "alexnet/places365", "resnet152/imagenet", "resnet152/places365", "biggan/imagenet", "biggan/places365" }, g["not-alexnet-imagenet"]);
        Assert.Equal(14, g.Count);
        Assert.DoesNotContain(g.Values.SelectMany(v => v), k => k.StartsWith("dino", StringComparison.Ordinal));
    }

    [Fact]
    public void Expressions_resolve_groupings_keys_globs_and_folders_in_order()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteLayer(Path.Combine(root.Path, "resnet18", "world-a"), "layer1", 1);
        LayoutFixture.WriteLayer(Path.Combine(root.Path, "alexnet", "world-a"), "conv1", 1);
        LayoutFixture.WriteLayer(Path.Combine(root.Path, "resnet18", "world-b"), "layer1", 1);
        Directory.CreateDirectory(Path.Combine(root.Path, "resnet18", "notes"));             // not a dataset: ignored by globs
        Directory.CreateDirectory(Path.Combine(root.Path, "resnet18", ".partial-world-c")); // hidden: ignored
        string elsewhere = Path.Combine(root.Path, "elsewhere", "mine");
        LayoutFixture.WriteLayer(elsewhere, "fc", 1);

        Assert.Equal(new[] { "alexnet/world-a", "resnet18/world-a" }, Names("*/world-a"));
        Assert.Equal(new[] { "resnet18/world-a", "resnet18/world-b" }, Names("resnet18/*"));
        Assert.Equal(new[] { "biggan/imagenet", "biggan/places365", "resnet18/world-b" }, Names("gen, resnet18/world-b"));
        Assert.Equal(new[] { "alexnet/world-a", "resnet18/world-a", "resnet18/world-b", "elsewhere/mine" }, Names("*/world-*,*/mine"));
        var folder = Assert.Single(DatasetKeys.Resolve(elsewhere, root.Path));
        Assert.Equal(("elsewhere", "mine", (int?)null), (folder.Architecture, folder.Dataset, folder.AnnotationCount));
        Assert.Equal(new[] { "alexnet/world-a", "elsewhere/mine", "resnet18/world-a", "resnet18/world-b" }, DatasetKeys.Local(root.Path).Select(k => k.Name));

        IEnumerable<string> Names(string expression) => DatasetKeys.Resolve(expression, root.Path).Select(k => k.Name);
    }

    [Fact]
    public void A_path_to_a_registered_keys_folder_is_that_key()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path, "resnet152", "places365");

        var key = Assert.Single(DatasetKeys.Resolve(folder, root.Path));
        Assert.Equal(("resnet152/places365", (int?)3), (key.Name, key.AnnotationCount));
    }

    [Fact]
    public void Unknown_keys_empty_globs_and_duplicates_are_errors()
    {
        using var root = new TempFolder();
        Assert.Contains("dataset key 'alexnet/imagenett': not a registered key", Assert.Throws<MilanInputException>(() => DatasetKeys.Resolve("alexnet/imagenett", root.Path)).Message);
        Assert.Contains("matches no dataset folder", Assert.Throws<MilanInputException>(() => DatasetKeys.Resolve("*/world-z", root.Path)).Message);
        Assert.Contains("'alexnet/imagenet' is listed more than once", Assert.Throws<MilanInputException>(() => DatasetKeys.Resolve("base,alexnet", root.Path)).Message);
    }
}
