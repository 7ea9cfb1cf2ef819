using Milan.Annotations;
using Milan.Datasets;
using Milan.IO;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Annotations;

public class TopImagesDatasetTests
{
    [Fact]
    public void Annotated_samples_follow_the_csv_order_drop_short_units_and_truncate_long_ones()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path);
        using var dataset = TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path));

        Assert.Equal(3, dataset.AnnotationCount);
        Assert.Equal(new[] { "conv2:5", "conv1:0", "conv2:9" }, dataset.Samples.Select(s => $"{s.Layer}:{s.Unit}"));
        Assert.Equal(new[] { "red, round things", "circles", "red balls" }, dataset.Samples[0].Annotations);
        Assert.Equal(new[] { "dog faces", "text with \"quotes\"", "animal heads" }, dataset.Samples[1].Annotations);
        Assert.Equal(new[] { "multi\nline", "x", "y" }, dataset.Samples[2].Annotations);
        Assert.All(dataset.Samples, s => Assert.Equal("alexnet/imagenet", s.Dataset));
        Assert.Null(dataset.Find("conv1", 3)); // only two annotations: dropped
    }

    [Fact]
    public void Samples_read_their_own_images_masks_ids_and_activations_through_units_npy()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path);
        using var dataset = TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path));
        var sample = dataset.Lookup("conv2", 5); // units.npy [0, 5, 9]: position 1, base 120

        using var images = sample.ReadImages();
        using var masks = sample.ReadMasks();

        Assert.Equal(new long[] { 2, 3, 4, 4 }, images.shape);
        Assert.Equal(ScalarType.Byte, images.dtype);
        Assert.Equal(145, images[1, 2, 3, 0].item<byte>()); // 120 + 20·1 + 3·1 + 2
        Assert.Equal(140, images[0, 0, 0, 0].item<byte>()); // 120 + 20·1
        Assert.Equal(new long[] { 2, 1, 4, 4 }, masks.shape);
        Assert.Equal(0, masks[1, 0, 0, 0].item<byte>()); // (1 + 1 + 0 + 0) mod 2
        Assert.Equal(1, masks[1, 0, 0, 1].item<byte>());
        Assert.Equal(new[] { 10, 11 }, sample.ImageIds);
        Assert.Equal(new[] { 1.0f, 1.1f }, sample.Activations);
        Assert.Equal((2, 4), (sample.ImageCount, sample.ImageSize));
    }

    [Fact]
    public void Without_a_count_every_unit_is_a_sample_in_top_images_order_with_all_its_annotations()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path, "myarch", "mydata");
        using var dataset = TopImagesDataset.Open(folder);

        Assert.Null(dataset.AnnotationCount);
        Assert.Equal(new[] { "conv1:0", "conv1:1", "conv1:2", "conv1:3", "conv2:0", "conv2:5", "conv2:9" },
            dataset.Samples.Select(s => $"{s.Layer}:{s.Unit}"));
        Assert.Equal(4, dataset.Lookup("conv1", 0).Annotations.Count);
        Assert.Equal(new[] { "only two a", "only two b" }, dataset.Lookup("conv1", 3).Annotations);
        Assert.Empty(dataset.Lookup("conv1", 1).Annotations);
        Assert.Equal(("myarch", "mydata"), (dataset.Key.Architecture, dataset.Key.Dataset));
    }

    [Fact]
    public void An_explicit_count_overrides_the_key_default()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path);
        using var dataset = TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path), new TopImagesLoadOptions { AnnotationCount = 2 });

        Assert.Equal(new[] { "conv2:5", "conv1:0", "conv1:3", "conv2:9" }, dataset.Samples.Select(s => $"{s.Layer}:{s.Unit}"));
        Assert.Equal(new[] { "red, round things", "circles" }, dataset.Samples[0].Annotations);
    }

    [Fact]
    public void Folders_without_annotations_sort_layers_as_strings_and_units_by_units_npy()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "dino_vits8", "imagenet");
        LayoutFixture.WriteLayer(folder, "blocks.2.mlp.fc1", 2);
        LayoutFixture.WriteLayer(folder, "blocks.10.mlp.fc1", 2, unitIds: [7, 3]);
        using var dataset = TopImagesDataset.Open(folder);

        Assert.Equal(new[] { "blocks.10.mlp.fc1:7", "blocks.10.mlp.fc1:3", "blocks.2.mlp.fc1:0", "blocks.2.mlp.fc1:1" },
            dataset.Samples.Select(s => $"{s.Layer}:{s.Unit}"));
        Assert.All(dataset.Samples, s => Assert.Empty(s.Annotations));
        Assert.Null(dataset.Annotations);
    }

    [Fact]
    public void Integer_layer_names_are_matched_through_their_string_form()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "resnet152", "places365");
        LayoutFixture.WriteLayer(folder, "0", 2);
        LayoutFixture.WriteLayer(folder, "4", 2, @base: 100);
        LayoutFixture.WriteLayer(folder, "10", 1);
        LayoutFixture.WriteAnnotations(folder, "layer,unit,summary\n4,1,a\n04,1,b\n4,1,c\n0,0,d\n00,0,e\n0,0,f\n10,0,g\n");
        using var dataset = TopImagesDataset.Open(DatasetKeys.Get("resnet152/places365", root.Path));

        Assert.Equal(new[] { "0", "10", "4" }, dataset.Layers.Select(l => l.Name));
        Assert.Equal(new[] { "4:1", "0:0" }, dataset.Samples.Select(s => $"{s.Layer}:{s.Unit}"));
        Assert.Equal(new[] { "a", "b", "c" }, dataset.Samples[0].Annotations);
        using var images = dataset.Lookup("04", 1).ReadImages();
        Assert.Equal(120, images[0, 0, 0, 0].item<byte>()); // 100 + 20·1
    }

    [Fact]
    public void Images_stay_on_disk_until_a_sample_reads_them()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path);
        using var dataset = TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path));
        // Overwrite a byte of conv1 unit 0 after opening: the next read sees it, so nothing was cached.
        string images = Path.Combine(folder, "conv1", "images.npy");
        long dataOffset = Npy.ReadHeader(images).DataOffset;
        using (var stream = new FileStream(images, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.Position = dataOffset;
            stream.WriteByte(77);
        }
        using var read = dataset.Lookup("conv1", 0).ReadImages();
        Assert.Equal(77, read[0, 0, 0, 0].item<byte>());
    }

    [Fact]
    public void Files_written_by_numpy_and_python_csv_load_with_the_same_expectations()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "net", "data");
        DebianPython.Run("""
            import csv, os, sys
            import numpy as np
            root = sys.argv[1]
            layer = os.path.join(root, 'layer1')
            os.makedirs(layer)
            images = np.zeros((2, 3, 3, 5, 5), dtype=np.uint8)
            for u in range(2):
                for k in range(3):
                    images[u, k] = 50 * u + k
            np.save(os.path.join(layer, 'images.npy'), images)
            masks = np.zeros((2, 3, 1, 5, 5), dtype=np.uint8); masks[1, 2, 0, 4, 4] = 1
            np.save(os.path.join(layer, 'masks.npy'), masks)
            np.save(os.path.join(layer, 'units.npy'), np.array([4, 2]))
            np.savetxt(os.path.join(layer, 'ids.csv'), np.array([[5, 6, 7], [8, 9, 10]]), delimiter=',', fmt='%i')
            np.savetxt(os.path.join(layer, 'activations.csv'), np.array([[3.5, 2.25, 1.0], [9.0, 8.0, 7.0]]), delimiter=',', fmt='%.5e')
            with open(os.path.join(root, 'annotations.csv'), 'w', newline='') as f:
                w = csv.writer(f)
                w.writerow(['layer', 'unit', 'summary', 'worker'])
                for unit, text in [(2, 'stripes, mostly'), (4, 'say "hi"'), (2, 'zebra'), (2, 'lines')]:
                    w.writerow(['layer1', unit, text, 'w1'])
            """, folder);
        using var dataset = TopImagesDataset.Open(folder, new TopImagesLoadOptions { AnnotationCount = 3 });

        var sample = Assert.Single(dataset.Samples);
        Assert.Equal(("layer1", 2), (sample.Layer, sample.Unit));
        Assert.Equal(new[] { "stripes, mostly", "zebra", "lines" }, sample.Annotations);
        Assert.Equal(new[] { 8, 9, 10 }, sample.ImageIds);
        Assert.Equal(new[] { 9f, 8f, 7f }, sample.Activations);
        using var images = sample.ReadImages();
        using var masks = sample.ReadMasks();
        Assert.Equal(52, images[2, 1, 3, 3].item<byte>());
        Assert.Equal(1, masks.sum().item<long>());
        Assert.Equal(1, masks[2, 0, 4, 4].item<byte>());
    }

    [Fact]
    public void A_truncated_npy_names_the_file()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path);
        string masks = Path.Combine(folder, "conv2", "masks.npy");
        using (var stream = new FileStream(masks, FileMode.Open)) stream.SetLength(stream.Length - 5);

        var error = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(folder));
        Assert.StartsWith(masks + ": truncated .npy data", error.Message);
    }

    [Fact]
    public void A_masks_and_ids_count_mismatch_names_the_file_and_both_counts()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path);
        string ids = Path.Combine(folder, "conv1", "ids.csv");
        File.WriteAllLines(ids, ["0,1", "10,11", "20,21"]);

        var error = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(folder));
        Assert.Equal($"{ids}: 3 row(s), but masks.npy holds 4 unit(s) (expected one row per unit)", error.Message);
    }

    [Fact]
    public void Images_masks_and_units_must_agree()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "a", "b");
        LayoutFixture.WriteLayer(folder, "conv1", 3, unitIds: [0, 1]);
        var units = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(folder));
        Assert.Contains("units.npy: expected 3 unit ids of shape (3,)", units.Message);

        File.Delete(Path.Combine(folder, "conv1", "units.npy"));
        Npy.Write<byte>(Path.Combine(folder, "conv1", "images.npy"), new byte[2 * 2 * 3 * 16], 2, 2, 3, 4, 4);
        var images = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(folder));
        Assert.Contains("images.npy: shape (2, 2, 3, 4, 4) does not match masks.npy (3, 2, 1, 4, 4)", images.Message);
    }

    [Fact]
    public void Annotation_rows_naming_a_missing_layer_or_unit_fail_with_the_line()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path);
        string csv = Path.Combine(folder, "annotations.csv");

        File.AppendAllText(csv, "conv9,0,nothing\n");
        var layer = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(folder));
        Assert.Equal($"{csv}: line 17, field 'layer': layer 'conv9' has no folder (layers: conv1, conv2)", layer.Message);

        LayoutFixture.WriteAnnotations(folder, "layer,unit,summary\nconv2,5,a\nconv2,4,b\n");
        var unit = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(folder));
        Assert.Equal($"{csv}: line 3, field 'unit': layer 'conv2' has no unit 4 (its units.npy lists 3 units)", unit.Message);
    }

    [Fact]
    public void A_missing_dataset_folder_says_how_to_fetch_it()
    {
        using var root = new TempFolder();
        var error = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(DatasetKeys.Get("biggan/places365", root.Path)));
        Assert.Contains("milan data fetch biggan/places365", error.Message);
    }

    [Fact]
    public void Missing_images_fail_or_are_skipped_as_asked()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "alexnet", "imagenet");
        LayoutFixture.WriteLayer(folder, "conv1", 2, images: false);
        var key = DatasetKeys.Get("alexnet/imagenet", root.Path);

        var fail = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(key, new TopImagesLoadOptions { MissingImages = MissingImages.Fail }));
        Assert.Contains(Path.Combine(root.Path, "imagenet", "val"), fail.Message);

        using var skipped = TopImagesDataset.Open(key, new TopImagesLoadOptions { MissingImages = MissingImages.Skip });
        Assert.False(skipped.Layers[0].HasImages);
        using var masks = skipped.Samples[0].ReadMasks();
        Assert.Throws<MilanInputException>(() => skipped.Samples[0].ReadImages());
    }

    [Fact]
    public void Hidden_folders_such_as_partial_builds_are_not_layers()
    {
        using var root = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(root.Path);
        Directory.CreateDirectory(Path.Combine(folder, AtomicDirectory.PartialPrefix + "conv3-123"));
        using var dataset = TopImagesDataset.Open(folder);
        Assert.Equal(new[] { "conv1", "conv2" }, dataset.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Keys_concatenate_in_order()
    {
        using var root = new TempFolder();
        LayoutFixture.WriteAlexNetLike(root.Path, "alexnet", "imagenet");
        LayoutFixture.WriteAlexNetLike(root.Path, "resnet18", "world-a");
        using var dataset = MilannotationsDataset.Load("resnet18/world-a,alexnet/imagenet", new TopImagesLoadOptions { DataRoot = root.Path });

        Assert.Equal(new[] { "resnet18/world-a", "alexnet/imagenet" }, dataset.Parts.Select(p => p.Name));
        Assert.Equal(7 + 3, dataset.Samples.Count); // the folder keeps all 7 units (no count); the key keeps 3
        Assert.Equal("resnet18/world-a", dataset.Samples[0].Dataset);
        Assert.Equal("alexnet/imagenet:conv2:5", dataset.Samples[7].Id.ToString());
    }
}
