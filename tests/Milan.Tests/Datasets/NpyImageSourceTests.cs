using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Datasets;

public class NpyImageSourceTests
{
    [Fact]
    public void Reads_back_images_labels_and_classes_in_index_order()
    {
        using var folder = new TempFolder();
        using var images = randint(0, 256, [5, 3, 4, 4], dtype: ScalarType.Byte);
        NpyImageSource.Write(folder.Path, images, [0, 1, 1, 0, 1], ["cat", "dog"]);

        using var source = new NpyImageSource(folder.Path);
        using var picked = source.ReadBytes([4, 0, 2]);

        Assert.Equal(5, source.Count);
        Assert.Equal(4, source.ImageSize);
        Assert.Equal(new[] { "cat", "dog" }, source.ClassNames);
        Assert.Equal(1, source.Label(4));
        Assert.True(picked.equal(images.index_select(0, tensor(new long[] { 4, 0, 2 }))).all().item<bool>());
    }

    [Fact]
    public void Normalisation_round_trips_bytes()
    {
        using var bytes = randint(0, 256, [2, 3, 3, 3], dtype: ScalarType.Byte);
        using var normalized = ImageNormalization.ImageNet.Normalize(bytes, CPU);
        using var back = ImageNormalization.ImageNet.ToBytes(normalized);

        Assert.Equal((0 / 255f - 0.485f) / 0.229f, ImageNormalization.ImageNet.Normalize(zeros([1, 3, 1, 1], ScalarType.Byte), CPU)[0, 0, 0, 0].item<float>(), 5);
        Assert.True(back.equal(bytes).all().item<bool>());
    }

    [Fact]
    public void Labels_outside_the_classes_name_the_file_and_the_image()
    {
        using var folder = new TempFolder();
        using var images = zeros([2, 3, 2, 2], ScalarType.Byte);
        NpyImageSource.Write(folder.Path, images, [0, 5], ["a", "b"]);

        var error = Assert.Throws<MilanInputException>(() => new NpyImageSource(folder.Path));

        Assert.Contains("labels.npy", error.Message);
        Assert.Contains("label 5 of image 1", error.Message);
    }
}
