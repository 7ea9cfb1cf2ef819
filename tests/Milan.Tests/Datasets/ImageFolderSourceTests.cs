using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Datasets;

public class ImageFolderSourceTests
{
    // torchvision's ImageFolder indexing and its default transform on PIL images, written out with
    // Python's own sorting and os.walk and with Pillow doing the decoding and resampling:
    // Resize(size) -> PIL resize(BILINEAR) to (new_short, int(size*long/short)); CenterCrop(crop) ->
    // offsets int(round((side - crop) / 2.0)). Prints "label path hexbytes" per image, in index order.
    private const string TorchvisionPipeline = """
        import os, sys
        from PIL import Image
        root, size, crop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        EXT = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
        classes = sorted(e.name for e in os.scandir(root) if e.is_dir())
        for label, c in enumerate(classes):
            for folder, _, names in sorted(os.walk(os.path.join(root, c), followlinks=True)):
                for name in sorted(names):
                    path = os.path.join(folder, name)
                    if not path.lower().endswith(EXT):
                        continue
                    img = Image.open(path).convert("RGB")
                    w, h = img.size
                    short, long = (w, h) if w <= h else (h, w)
                    new_short, new_long = size, int(size * long / short)
                    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
                    if (new_w, new_h) != (w, h):
                        img = img.resize((new_w, new_h), Image.BILINEAR)
                    top, left = int(round((new_h - crop) / 2.0)), int(round((new_w - crop) / 2.0))
                    img = img.crop((left, top, left + crop, top + crop))
                    planar = b"".join(img.getchannel(i).tobytes() for i in range(3))
                    print(label, path, planar.hex())
        """;

    [Fact]
    public void Index_order_labels_and_pixels_equal_torchvisions_imagefolder_with_pillow()
    {
        using var folder = new TempFolder();
        string root = folder.File("images");
        // Class names whose code-point order differs from a culture-aware sort; files whose name order
        // differs from numeric order; a nested folder; an upper-case extension; a file that is not an image.
        TestImages.Write(Path.Combine(root, "b", "10.png"), 300, 200, (x, y) => TestImages.Pattern(x, y, 1));
        TestImages.Write(Path.Combine(root, "b", "2.png"), 37, 23, (x, y) => TestImages.Pattern(x, y, 2));
        TestImages.Write(Path.Combine(root, "b", "sub", "1.PNG"), 64, 80, (x, y) => TestImages.Pattern(x, y, 3));
        TestImages.Write(Path.Combine(root, "b", "sub-a", "0.png"), 16, 16, (x, y) => TestImages.Pattern(x, y, 4));
        TestImages.Write(Path.Combine(root, "C", "z.png"), 51, 97, (x, y) => ((byte)(x * 5), (byte)(y * 2), 9, (byte)(x * 4)));
        TestImages.WriteGrey(Path.Combine(root, "a", "grey.png"), 45, 45, (x, y) => (byte)(x * y % 256));
        File.WriteAllText(Path.Combine(root, "a", "notes.txt"), "not an image");
        const int resize = 20, crop = 16;

        var source = new ImageFolderSource(root, new ImageFolderTransform(resize, crop));
        var expected = DebianPython.Run(TorchvisionPipeline, root, $"{resize}", $"{crop}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();

        Assert.Equal(["C", "a", "b"], source.ClassNames);
        Assert.Equal(expected.Select(e => e[1]), source.Files);
        Assert.Equal(expected.Select(e => long.Parse(e[0])), Enumerable.Range(0, source.Count).Select(source.Label));
        Assert.Equal(crop, source.ImageSize);
        using var bytes = source.ReadBytes(Enumerable.Range(0, source.Count).ToArray());
        Assert.Equal([source.Count, 3L, crop, crop], bytes.shape);
        Assert.Equal(ScalarType.Byte, bytes.dtype);
        for (int i = 0; i < source.Count; i++)
        {
            using var image = bytes[i].contiguous();
            Assert.Equal(expected[i][2], Convert.ToHexStringLower(image.bytes));
        }
    }

    [Fact]
    public void Jpeg_pixels_agree_with_pillow()
    {
        // Both decode with libjpeg-turbo (SkiaSharp's bundled copy, Debian's for Pillow); on Debian 12
        // the bytes were identical. A different libjpeg build may round differently, hence a small tolerance.
        using var folder = new TempFolder();
        string root = folder.File("images");
        TestImages.Write(Path.Combine(root, "c", "photo.jpg"), 120, 90, (x, y) => TestImages.Pattern(x, y, 6));
        TestImages.Write(Path.Combine(root, "c", "smooth.jpeg"), 64, 70, (x, y) => ((byte)(x * 4), (byte)(y * 3), (byte)(x + y), 255));
        var source = new ImageFolderSource(root, new ImageFolderTransform(40, 32));

        var expected = DebianPython.Run(TorchvisionPipeline, root, "40", "32").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var bytes = source.ReadBytes([0, 1]);

        for (int i = 0; i < 2; i++)
        {
            var theirs = Convert.FromHexString(expected[i].Split(' ')[2]);
            using var image = bytes[i].contiguous();
            var ours = image.bytes.ToArray();
            Assert.True(ours.Zip(theirs).All(p => Math.Abs(p.First - p.Second) <= 2), $"image {i} differs from Pillow by more than 2");
            Assert.True(ours.Zip(theirs).Average(p => Math.Abs(p.First - p.Second)) < 0.1, $"image {i} differs from Pillow on average");
        }
    }

    [Fact]
    public void Center_crop_takes_the_middle_with_pythons_round_half_to_even()
    {
        using var folder = new TempFolder();
        string root = folder.File("images");
        // 41 x 30 px: the shorter side is already 30, so Resize(30) keeps it; the crop of 20 starts at
        // x = round(10.5) = 10 (half to even) and y = round(5) = 5. Pixel (x, y) = (x, y, 7).
        TestImages.Write(Path.Combine(root, "only", "ruler.png"), 41, 30, (x, y) => ((byte)x, (byte)y, 7, 255));

        var source = new ImageFolderSource(root, new ImageFolderTransform(Resize: 30, Crop: 20));
        using var image = source.ReadBytes([0])[0];

        for (int y = 0; y < 20; y++)
        for (int x = 0; x < 20; x++)
        {
            Assert.Equal(x + 10, image[0, y, x].item<byte>());
            Assert.Equal(y + 5, image[1, y, x].item<byte>());
            Assert.Equal(7, image[2, y, x].item<byte>());
        }
    }

    [Fact]
    public void Resized_sizes_and_offsets_follow_torchvision()
    {
        var transform = ImageFolderTransform.ImageNet;
        Assert.Equal((341, 256), transform.ResizedSize(500, 375)); // int(256 * 500 / 375) = int(341.33)
        Assert.Equal((256, 384), transform.ResizedSize(333, 500)); // int(256 * 500 / 333) = int(384.38)
        Assert.Equal((58, 16), transform.CropOffset(341, 256)); // round(58.5) = 58, round(16) = 16
        Assert.Equal((16, 80), transform.CropOffset(256, 384));
        Assert.Equal((64, 64), ImageFolderTransform.Squash(64).ResizedSize(500, 375));
    }

    [Fact]
    public void Squash_resizes_to_a_square_without_cropping()
    {
        using var folder = new TempFolder();
        string root = folder.File("images");
        TestImages.Write(Path.Combine(root, "k", "wide.png"), 40, 10, (x, y) => (200, 100, 50, 255));

        var source = new ImageFolderSource(root, ImageFolderTransform.Squash(8));
        using var image = source.ReadBytes([0]);

        Assert.Equal([1L, 3, 8, 8], image.shape);
        Assert.Equal(200, image[0, 0].max().item<byte>());
        Assert.Equal(100, image[0, 1].min().item<byte>());
        Assert.Equal(50, image[0, 2, 7, 7].item<byte>());
    }

    [Fact]
    public void Missing_folder_names_the_path()
    {
        using var folder = new TempFolder();
        string root = folder.File("nowhere");
        var error = Assert.Throws<MilanInputException>(() => new ImageFolderSource(root));
        Assert.Contains(root, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Empty_folder_explains_the_expected_layout()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MilanInputException>(() => new ImageFolderSource(folder.Path));
        Assert.Contains(folder.Path, error.Message);
        Assert.Contains("empty", error.Message);
        Assert.Contains("<root>/<class>/<image>", error.Message);
    }

    [Fact]
    public void Flat_folder_of_images_says_how_to_sort_them_into_classes()
    {
        using var folder = new TempFolder();
        for (int i = 1; i <= 3; i++)
            TestImages.Write(folder.File($"ILSVRC2012_val_0000000{i}.JPEG"), 8, 8, (x, y) => (1, 2, 3, 255));

        var error = Assert.Throws<MilanInputException>(() => new ImageFolderSource(folder.Path));

        Assert.Contains(folder.Path, error.Message);
        Assert.Contains("holds 3 image(s) directly but no class subfolders", error.Message);
        Assert.Contains("one folder per WordNet id", error.Message);
        Assert.Contains("single subfolder", error.Message);
    }

    [Fact]
    public void Class_folder_without_images_is_named()
    {
        using var folder = new TempFolder();
        TestImages.Write(folder.File("cats/1.png"), 8, 8, (x, y) => (1, 2, 3, 255));
        Directory.CreateDirectory(folder.File(".ipynb_checkpoints"));

        var error = Assert.Throws<MilanInputException>(() => new ImageFolderSource(folder.Path));

        Assert.Contains("no image files in the class folder(s) .ipynb_checkpoints", error.Message);
    }

    [Fact]
    public void Undecodable_file_is_an_input_error_naming_it()
    {
        using var folder = new TempFolder();
        TestImages.Write(folder.File("cats/1.png"), 8, 8, (x, y) => (1, 2, 3, 255));
        string broken = folder.File("cats/2.jpg");
        File.WriteAllText(broken, "this is not a JPEG");
        var source = new ImageFolderSource(folder.Path, new ImageFolderTransform(8, 8));

        using (var first = source.ReadBytes([0])) Assert.Equal(1, first.shape[0]);
        var error = Assert.Throws<MilanInputException>(() => source.ReadBytes([0, 1]));

        Assert.Contains(broken, error.Message);
        Assert.Contains("cannot decode", error.Message);
    }

    [Fact]
    public void Truncated_png_is_an_input_error_naming_it()
    {
        using var folder = new TempFolder();
        string path = folder.File("cats/1.png");
        TestImages.Write(path, 64, 64, (x, y) => TestImages.Pattern(x, y, 5));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var source = new ImageFolderSource(folder.Path, new ImageFolderTransform(64, 64));

        var error = Assert.Throws<MilanInputException>(() => source.ReadBytes([0]));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Tiff_files_are_refused_when_the_folder_is_opened()
    {
        using var folder = new TempFolder();
        TestImages.Write(folder.File("cats/1.png"), 8, 8, (x, y) => (1, 2, 3, 255));
        File.WriteAllBytes(folder.File("cats/2.tif"), [0x49, 0x49, 0x2A, 0]);

        var error = Assert.Throws<MilanInputException>(() => new ImageFolderSource(folder.Path));
        Assert.Contains("2.tif", error.Message);
        Assert.Contains("convert them to PNG", error.Message);
    }

    [Fact]
    public void Crop_larger_than_resize_is_refused()
    {
        using var folder = new TempFolder();
        Assert.Throws<MilanInputException>(() => new ImageFolderSource(folder.Path, new ImageFolderTransform(Resize: 100, Crop: 224)));
    }

    [Fact]
    public void Code_point_order_is_pythons()
    {
        string[] names = ["b", "a", "B", "_x", "a\U0001F600", "a\uFF5E", "10", "9"];
        var sorted = names.ToList();
        sorted.Sort(ImageFolderSource.CompareCodePoints);
        // Python: sorted(names) -> ['10', '9', 'B', '_x', 'a', 'a～', 'a😀', 'b']
        Assert.Equal(["10", "9", "B", "_x", "a", "a\uFF5E", "a\U0001F600", "b"], sorted);
    }
}
