using Milan.Models;
using Milan.Tests.Support;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

public class WeightsFileTests
{
    private static readonly ModelSpec Small = new("resnet18", 10, 32, Width: 8);

    [Theory]
    [InlineData("model.safetensors", WeightsFormat.SafeTensors)]
    [InlineData("model.dat", WeightsFormat.TorchSharp)]
    public void Round_trip_gives_identical_logits(string file, WeightsFormat format)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        string path = folder.File(file);
        using var original = SubjectModel.Create(Small, seed: 1);
        RandomizeBatchNormStatistics(original);
        var input = randn(3, 3, 32, 32);
        var expected = original.call(input);

        original.SaveWeights(path);
        using var copy = SubjectModel.Load(path, Small);

        Assert.Equal(format, WeightsFile.Detect(path));
        Assert.True(copy.call(input).equal(expected).all().item<bool>());
    }

    [Fact]
    public void Safetensors_export_uses_torchvision_names_and_records_the_spec()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        using var model = SubjectModel.Create(new ModelSpec("alexnet-small", 3, 24, Width: 8), seed: 2);
        model.SaveWeights(path);

        using var contents = SafeTensors.Read(path);
        Assert.Equal(TorchvisionStateDict.AlexNet().Select(e => e.Key).Order(StringComparer.Ordinal), contents.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ModelSpec("alexnet-small", 3, 24, 8), ModelSpec.FromMetadata(contents.Metadata, path));

        using var loaded = SubjectModel.Load(path);
        Assert.Equal(model.Spec, loaded.Spec);
    }

    [Fact]
    public void Weights_without_metadata_get_classes_and_width_from_their_shapes()
    {
        using var folder = new TempFolder();
        string torchSharpFile = folder.File("m.dat");
        using var model = SubjectModel.Create(new ModelSpec("resnet34", 12, 224, Width: 8), seed: 3);
        model.SaveWeights(torchSharpFile);

        using var loaded = SubjectModel.Load(torchSharpFile, "resnet34", imageSize: 96);

        Assert.Equal(new ModelSpec("resnet34", 12, 96, 8), loaded.Spec);
        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(torchSharpFile));
        Assert.Contains("does not say which architecture", error.Message);
    }

    [Fact]
    public void Loading_weights_of_the_wrong_shape_lists_the_keys()
    {
        using var folder = new TempFolder();
        string path = folder.File("ten-classes.safetensors");
        using (var model = SubjectModel.Create(Small)) WeightsFile.Save(model, path);

        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(path, Small with { Classes = 5 }));

        Assert.Contains(path, error.Message);
        Assert.Contains("fc.weight (model [5,64], file [10,64])", error.Message);
        Assert.Contains("fc.bias (model [5], file [10])", error.Message);
    }

    [Fact]
    public void Loading_another_architectures_weights_lists_unknown_and_missing_keys()
    {
        using var folder = new TempFolder();
        string path = folder.File("r18.dat");
        using (var model = SubjectModel.Create(Small)) model.SaveWeights(path);
        using var target = SubjectModel.Create(Small with { Architecture = "resnet34" });

        var error = Assert.Throws<MilanInputException>(() => target.LoadWeights(path));

        Assert.Contains("missing keys: layer1.2.bn1.bias", error.Message);
    }

    [Fact]
    public void Metadata_that_contradicts_the_requested_spec_is_an_error()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        using (var model = SubjectModel.Create(Small)) model.SaveWeights(path);

        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(path, Small with { ImageSize = 64 }));
        Assert.Contains("saved for resnet18 (10 classes, 32 px, width 8)", error.Message);
    }

    [Fact]
    public void PyTorch_pickles_from_before_1_6_are_rejected_with_the_way_to_convert_them()
    {
        using var folder = new TempFolder();
        string path = folder.File("resnet18.pth");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20]);

        var error = Assert.Throws<MilanInputException>(() => WeightsFile.Detect(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("convert the state dict to safetensors", error.Message);
    }

    [Fact]
    public void A_broken_pytorch_archive_is_an_input_error_naming_it()
    {
        using var folder = new TempFolder();
        string path = folder.File("resnet18.pth");
        File.WriteAllBytes(path, [(byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0, 0, 0]);

        Assert.Equal(WeightsFormat.PyTorch, WeightsFile.Detect(path));
        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(path, "resnet18"));
        Assert.StartsWith(path + ": not a readable zip archive", error.Message);
    }

    [Fact]
    public void A_truncated_torchsharp_file_is_an_input_error()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.dat");
        using (var model = SubjectModel.Create(Small)) model.SaveWeights(path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(path, Small));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Our_torchsharp_files_load_with_torchsharps_own_loader_too()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.dat");
        using var model = SubjectModel.Create(Small, seed: 4);
        model.SaveWeights(path);
        using var other = SubjectModel.Create(Small, seed: 5);

        other.load(path);

        var expected = model.state_dict();
        Assert.All(other.state_dict(), p => Assert.True(p.Value.equal(expected[p.Key]).all().item<bool>(), p.Key));
    }

    private static void RandomizeBatchNormStatistics(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) tensor.copy_(0.1 * randn(tensor.shape));
            if (name.EndsWith("running_var", StringComparison.Ordinal)) tensor.copy_(0.5 + rand(tensor.shape));
        }
    }
}
