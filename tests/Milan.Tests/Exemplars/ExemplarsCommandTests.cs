using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models;
using Milan.Tests.Datasets;
using Milan.Tests.Support;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Tests.Exemplars;

/// <summary>`milan exemplars` run in-process through the command tree, as a user would.</summary>
public class ExemplarsCommandTests
{
    private static string Source(TempFolder folder, int count = 12, int size = 32)
    {
        string path = folder.File("images");
        manual_seed(5);
        using var images = randint(0, 256, [count, 3, size, size], dtype: ScalarType.Byte);
        NpyImageSource.Write(path, images);
        return path;
    }

    private static string[] Arguments(string images, string output, params string[] more) =>
        ["exemplars", "--model", "random", "--arch", "resnet18", "--images", images, "--out", output,
         "--k", "3", "--batch-size", "5", "--device", "cpu", "--no-sheets", .. more];

    [Fact]
    public void Writes_the_layout_for_the_requested_layers_and_skips_them_on_rerun()
    {
        using var folder = new TempFolder();
        string output = folder.File("out");
        var (exit, text) = MilanCli.Run(Arguments(Source(folder), output, "--layers", "conv1", "layer4"));

        Assert.True(exit == 0, text);
        foreach (var (layer, units) in new[] { ("conv1", 64L), ("layer4", 512L) })
        {
            var header = Npy.ReadHeader(Path.Combine(output, layer, ExemplarLayout.MasksFile));
            Assert.Equal(new[] { units, 3, 1, 32, 32 }, header.Shape);
        }
        var manifest = ExemplarManifest.Read(output)!;
        Assert.Contains("resnet18", manifest.Settings.Model);
        Assert.Equal(new long[] { 1, 1 }, manifest.Layers["layer4"].FeatureMap);

        var (again, secondText) = MilanCli.Run(Arguments(Source(folder), output, "--layers", "conv1", "layer4"));
        Assert.Equal(0, again);
        Assert.Contains("skipped", secondText);
    }

    [Fact]
    public void Reads_an_image_folder_in_imagefolder_order()
    {
        using var folder = new TempFolder();
        string images = folder.File("pictures");
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 3; i++)
            {
                int seed = c * 3 + i;
                TestImages.Write(Path.Combine(images, $"class{c}", $"img{i}.png"), 40, 30, (x, y) => TestImages.Pattern(x, y, seed));
            }
        string output = folder.File("out");
        var (exit, text) = MilanCli.Run(["exemplars", "--model", "random", "--arch", "resnet18", "--images", images, "--image-size", "24",
                                     "--out", output, "--k", "2", "--layers", "layer1", "--device", "cpu", "--no-sheets"]);

        Assert.True(exit == 0, text);
        var source = new ImageFolderSource(images, new ImageFolderTransform(27, 24));
        var ids = File.ReadAllLines(Path.Combine(output, "layer1", ExemplarLayout.IdsFile)).Select(l => l.Split(',').Select(int.Parse).ToArray()).ToArray();
        using var written = Npy.ReadTensor(Path.Combine(output, "layer1", ExemplarLayout.ImagesFile));
        Assert.Equal(new long[] { 64, 2, 3, 24, 24 }, written.shape);
        using var expected = source.ReadBytes(ids[5]);
        Assert.True(written[5].equal(expected).all().item<bool>());
        Assert.Equal(images, ExemplarManifest.Read(output)!.Settings.ImageSource);
    }

    [Fact]
    public void A_missing_image_folder_is_one_clear_error_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var (exit, text) = MilanCli.Run(Arguments(folder.File("nowhere"), folder.File("out")));
        Assert.Equal(1, exit);
        Assert.Contains("image folder not found", text);
        Assert.DoesNotContain("internal error", text);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void An_unknown_layer_is_one_clear_error_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var (exit, text) = MilanCli.Run(Arguments(Source(folder), folder.File("out"), "--layers", "layer9"));
        Assert.Equal(1, exit);
        Assert.Contains("layer9", text);
        Assert.DoesNotContain("internal error", text);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void A_corrupt_npy_source_is_one_clear_error_and_writes_nothing()
    {
        using var folder = new TempFolder();
        string images = folder.File("images");
        Directory.CreateDirectory(images);
        File.WriteAllBytes(Path.Combine(images, NpyImageSource.ImagesFile), "\u0093NUMPY garbage"u8.ToArray());
        var (exit, text) = MilanCli.Run(Arguments(images, folder.File("out")));
        Assert.Equal(1, exit);
        Assert.Contains(NpyImageSource.ImagesFile, text);
        Assert.DoesNotContain("internal error", text);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void Weights_of_the_wrong_shape_are_one_clear_error_naming_the_key()
    {
        using var folder = new TempFolder();
        string weights = folder.File("bad.safetensors");
        using (var model = SubjectModel.Create(new ModelSpec("resnet18", 10, 32), seed: 1))
        {
            var tensors = model.state_dict().ToDictionary(p => p.Key, p => p.Value);
            tensors["layer1.0.conv1.weight"] = zeros(64, 64, 5, 5);
            SafeTensors.Write(weights, tensors, new Dictionary<string, string>());
        }
        var (exit, text) = MilanCli.Run(["exemplars", "--model", weights, "--arch", "resnet18", "--images", Source(folder),
                                  "--out", folder.File("out"), "--k", "3", "--device", "cpu"]);
        Assert.Equal(1, exit);
        Assert.Contains("layer1.0.conv1.weight", text);
        Assert.DoesNotContain("internal error", text);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void An_unavailable_cuda_device_is_one_clear_error()
    {
        // On a CPU machine any CUDA device is unavailable; on a GPU machine device 99 is.
        bool gpu = cuda.is_available();
        using var folder = new TempFolder();
        var arguments = Arguments(Source(folder), folder.File("out"));
        arguments[Array.IndexOf(arguments, "cpu")] = gpu ? "cuda:99" : "cuda";
        var (exit, text) = MilanCli.Run(arguments);
        Assert.Equal(1, exit);
        Assert.Contains(gpu ? "CUDA device(s)" : "CUDA is not available", text);
        Assert.DoesNotContain("internal error", text);
        Assert.False(Directory.Exists(folder.File("out")));
    }
}
