using Milan.Annotations;
using Milan.Datasets;
using Milan.Tests.Support;
using SkiaSharp;
using static TorchSharp.torch;

namespace Milan.Tests.Annotations;

public class SourceImageMergeTests
{
    /// <summary>A stand-in for ImageFolderSource: image i is filled with the byte 100 + i; records the indices asked for.</summary>
    private sealed class NumberedImages(int count, int size) : IImageSource
    {
        public List<int[]> Requests { get; } = [];
        public string Description => "numbered test images";
        public int Count => count;
        public int ImageSize => size;
        public IReadOnlyList<string> ClassNames => [];
        public long Label(int index) => -1;

        public Tensor ReadBytes(IReadOnlyList<int> indices)
        {
            Requests.Add(indices.ToArray());
            var images = empty([indices.Count, 3, size, size], ScalarType.Byte);
            for (int i = 0; i < indices.Count; i++) images[i].fill_(100 + indices[i]);
            return images;
        }
    }

    /// <summary>An ImageNet-like key with a layer lacking images.npy, and a class-folder source under data/imagenet/val.</summary>
    private static (DatasetKey Key, string Source) WriteImageNetLike(string root)
    {
        string folder = Path.Combine(root, "resnet152", "imagenet");
        LayoutFixture.WriteLayer(folder, "layer1", 3, images: false); // ids: unit u → 10u, 10u+1
        LayoutFixture.WriteLayer(folder, "layer2", 1);                  // ships images: left alone
        LayoutFixture.WriteAnnotations(folder, "layer,unit,summary\nlayer1,2,a\nlayer1,2,b\nlayer1,2,c\n");
        string source = Path.Combine(root, "imagenet", "val");
        Directory.CreateDirectory(Path.Combine(source, "n01440764"));
        return (DatasetKeys.Get("resnet152/imagenet", root), source);
    }

    [Fact]
    public void Merges_the_images_named_by_ids_csv_per_unit_and_caches_them()
    {
        using var root = new TempFolder();
        var (key, source) = WriteImageNetLike(root.Path);
        var images = new NumberedImages(count: 30, size: LayoutFixture.Size);
        string? opened = null;
        var options = new TopImagesLoadOptions { OpenImageFolder = path => { opened = path; return images; } };

        using (var dataset = TopImagesDataset.Open(key, options))
        {
            Assert.Equal(source, opened);
            Assert.Equal(new[] { new[] { 0, 1 }, new[] { 10, 11 }, new[] { 20, 21 } }, images.Requests);
            using var read = dataset.Lookup("layer1", 2).ReadImages();
            Assert.Equal(120, read[0, 0, 0, 0].item<byte>());
            Assert.Equal(121, read[1, 2, 3, 3].item<byte>());
        }
        string merged = Path.Combine(key.Folder, "layer1", "images.npy");
        Assert.Equal(new long[] { 3, 2, 3, 4, 4 }, Npy.ReadHeader(merged).Shape);
        Assert.Empty(Directory.GetFiles(Path.Combine(key.Folder, "layer1"), ".*"));

        // Second load: the cached file is used, the source is not opened again.
        opened = null;
        using var again = TopImagesDataset.Open(key, options);
        Assert.Null(opened);
        Assert.Equal(3, images.Requests.Count);
    }

    [Fact]
    public void A_flat_source_folder_is_refused_with_how_to_fix_it()
    {
        using var root = new TempFolder();
        var (key, source) = WriteImageNetLike(root.Path);
        Directory.Delete(Path.Combine(source, "n01440764"));
        File.WriteAllBytes(Path.Combine(source, "ILSVRC2012_val_00000001.JPEG"), [0xFF, 0xD8]);
        File.WriteAllBytes(Path.Combine(source, "ILSVRC2012_val_00000002.JPEG"), [0xFF, 0xD8]);

        var error = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(key, new TopImagesLoadOptions
        {
            OpenImageFolder = _ => throw new InvalidOperationException("must not be reached"),
        }));
        Assert.StartsWith($"{source}: the source image folder is flat (2 images directly inside, no class subfolders)", error.Message);
        Assert.Contains("<folder>/<wnid>/<image>.JPEG", error.Message);
        Assert.Contains("valprep.sh", error.Message);
        Assert.False(File.Exists(Path.Combine(key.Folder, "layer1", "images.npy")));
    }

    [Fact]
    public void A_missing_source_folder_says_where_the_images_are_expected()
    {
        using var root = new TempFolder();
        var (key, source) = WriteImageNetLike(root.Path);
        Directory.Delete(source, recursive: true);

        var error = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(key));
        Assert.StartsWith($"{source}: source image folder not found", error.Message);
    }

    [Fact]
    public void Source_images_must_have_the_masks_size_and_cover_every_id()
    {
        using var root = new TempFolder();
        var (key, _) = WriteImageNetLike(root.Path);

        var size = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(key, new TopImagesLoadOptions { OpenImageFolder = _ => new NumberedImages(30, 8) }));
        Assert.Contains("source images are 8x8 but the masks in", size.Message);
        Assert.Contains("Resize(256)+CenterCrop(4)", size.Message);

        var range = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(key, new TopImagesLoadOptions { OpenImageFolder = _ => new NumberedImages(15, 4) }));
        Assert.Equal($"{Path.Combine(key.Folder, "layer1", "ids.csv")}: row 3, value 1: image index 20 is outside the source's 15 images (numbered test images); is it the right folder?", range.Message);
        Assert.False(File.Exists(Path.Combine(key.Folder, "layer1", "images.npy")));
        Assert.Empty(Directory.GetFiles(Path.Combine(key.Folder, "layer1"), ".*"));
    }

    [Fact]
    public void Merging_without_ids_csv_names_the_missing_file()
    {
        using var root = new TempFolder();
        var (key, _) = WriteImageNetLike(root.Path);
        File.Delete(Path.Combine(key.Folder, "layer1", "ids.csv"));

        var error = Assert.Throws<MilanInputException>(() => TopImagesDataset.Open(key, new TopImagesLoadOptions { OpenImageFolder = _ => new NumberedImages(30, 4) }));
        Assert.Equal($"{Path.Combine(key.Folder, "layer1", "ids.csv")}: file not found: merging source images needs the image ids of every unit", error.Message);
    }

    /// <summary>
    /// End to end with the real image folder reader: a 512x256 image, red left of x = 200 and blue
    /// right of it. Resize(256) keeps 512x256; CenterCrop(224) keeps x in [144, 368), so the boundary
    /// lands at column 56 of the merged image. The reference's plain 224x224 resize would put it at
    /// column 87.5 and stretch the image vertically instead of cropping it.
    /// </summary>
    [Fact]
    public void Merged_imagenet_images_line_up_with_masks_through_resize_and_center_crop()
    {
        using var root = new TempFolder();
        string folder = Path.Combine(root.Path, "alexnet", "imagenet");
        Directory.CreateDirectory(Path.Combine(folder, "conv1"));
        Npy.Write<byte>(Path.Combine(folder, "conv1", "masks.npy"), new byte[224 * 224], 1, 1, 1, 224, 224);
        File.WriteAllText(Path.Combine(folder, "conv1", "ids.csv"), "1\n");
        string source = Path.Combine(root.Path, "imagenet", "val");
        WritePng(Path.Combine(source, "a_class", "0.png"), 64, 64, _ => SKColors.Green);
        WritePng(Path.Combine(source, "b_class", "1.png"), 512, 256, x => x < 200 ? SKColors.Red : SKColors.Blue);

        using var dataset = TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path), new TopImagesLoadOptions { AnnotationCount = null, LoadAnnotations = false });
        using var images = dataset.Samples[0].ReadImages();

        Assert.Equal(new long[] { 1, 3, 224, 224 }, images.shape);
        Assert.True(images[0, 0, 112, 50].item<byte>() > 200 && images[0, 2, 112, 50].item<byte>() < 50);  // red left of 56
        Assert.True(images[0, 2, 112, 62].item<byte>() > 200 && images[0, 0, 112, 62].item<byte>() < 50);  // blue right of 56
    }

    private static void WritePng(string path, int width, int height, Func<int, SKColor> colorOfColumn)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        for (int x = 0; x < width; x++)
            for (int y = 0; y < height; y++)
                bitmap.SetPixel(x, y, colorOfColumn(x));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
