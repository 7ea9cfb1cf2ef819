using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Datasets;

public class ImageFolderExportTests
{
    [Fact]
    public void Exported_pngs_decode_to_the_source_bytes_in_class_folders()
    {
        using var folder = new TempFolder();
        using var images = randint(0, 256, [4, 3, 5, 5], dtype: ScalarType.Byte);
        NpyImageSource.Write(folder.File("npy"), images, [1, 0, 1, 1], ["cat", "dog"]);
        using var source = new NpyImageSource(folder.File("npy"));

        ImageFolderExport.Write(source, folder.File("export"), count: 3);

        Assert.Equal(["image_00001.png"], Directory.GetFiles(folder.File("export/cat")).Select(Path.GetFileName));
        Assert.Equal(["image_00000.png", "image_00002.png"], Directory.GetFiles(folder.File("export/dog")).Select(Path.GetFileName).Order());
        for (int i = 0; i < 3; i++)
        {
            string file = folder.File($"export/{(i == 1 ? "cat" : "dog")}/image_{i:D5}.png");
            var (rgba, width, height) = ImageDecoder.DecodeRgba(file, long.MaxValue);
            Assert.Equal((5, 5), (width, height));
            var expected = images[i].permute(1, 2, 0).contiguous().bytes.ToArray();   // (y, x, c)
            Assert.Equal(expected, Enumerable.Range(0, 25).SelectMany(p => rgba.Skip(p * 4).Take(3)).ToArray());
        }
        // The folder reads as an image source with the exported classes.
        var exported = new ImageFolderSource(folder.File("export"), ImageFolderTransform.CenterCrop(5));
        Assert.Equal(3, exported.Count);
        Assert.Equal(["cat", "dog"], exported.ClassNames);
    }
}
