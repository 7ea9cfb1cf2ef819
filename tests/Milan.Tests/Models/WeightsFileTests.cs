using Milan.Models;
using Milan.Tests.Support;
using Milan.Torch;
using TorchSharp;
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
    public void A_torch_save_state_dict_loads_and_gives_pytorchs_logits()
    {
        // A torchvision-layout ResNet-18 of width 8 (tools/reference-milan), its state dict saved by torch.save,
        // its logits on a fixed input computed by PyTorch; the same file loaded here must give the same logits.
        using var folder = new TempFolder();
        string path = folder.File("resnet18-w8.pth"), logits = folder.File("logits.npy"), input = folder.File("input.npy");
        DebianPython.Run("""
            import sys, numpy as np, torch
            sys.path.insert(0, sys.argv[1])
            from reference_milan import ResNet18
            torch.manual_seed(0)
            model = ResNet18(width=8, classes=10).eval()
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.2, 0.2); m.running_var.uniform_(0.5, 1.5)
            torch.save({'epoch': 3, 'state_dict': model.state_dict()}, sys.argv[2])   # wrapped, as training checkpoints are
            x = torch.rand(2, 3, 32, 32)
            np.save(sys.argv[3], x.numpy()); np.save(sys.argv[4], model(x).detach().numpy())
            """, Path.Combine(MilanRoots.Repository!, "tools", "reference-milan"), path, input, logits);

        Assert.Equal(WeightsFormat.PyTorch, WeightsFile.Detect(path));
        using var model = SubjectModel.Load(path, "resnet18", imageSize: 32);
        Assert.Equal(new ModelSpec("resnet18", 10, 32, 8), model.Spec);
        using var scope = NewDisposeScope();
        var expected = Milan.Datasets.Npy.ReadTensor(logits);
        var ours = model.call(Milan.Datasets.Npy.ReadTensor(input));
        Assert.True((ours - expected).abs().max().item<float>() < 1e-4, $"max |difference| {(ours - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void Safetensors_export_uses_torchvision_names_and_records_the_spec()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.safetensors");
        using var model = SubjectModel.Create(new ModelSpec("alexnet-small", 3, 24, Width: 4), seed: 2);
        model.SaveWeights(path);

        using var contents = SafeTensors.Read(path);
        Assert.Equal(TorchvisionStateDict.AlexNet().Select(e => e.Key).Order(StringComparer.Ordinal), contents.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ModelSpec("alexnet-small", 3, 24, 4), ModelSpec.FromMetadata(contents.Metadata, path));

        using var loaded = SubjectModel.Load(path);
        Assert.Equal(model.Spec, loaded.Spec);
    }

    [Fact]
    public void Weights_without_metadata_get_classes_and_width_from_their_shapes()
    {
        using var folder = new TempFolder();
        string torchSharpFile = folder.File("m.dat");
        using var model = SubjectModel.Create(new ModelSpec("resnet34", 12, 224, Width: 4), seed: 3);
        model.SaveWeights(torchSharpFile);

        using var loaded = SubjectModel.Load(torchSharpFile, "resnet34", imageSize: 96);

        Assert.Equal(new ModelSpec("resnet34", 12, 96, 4), loaded.Spec);
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
    public void Legacy_and_broken_pytorch_files_are_input_errors_that_name_the_file()
    {
        using var folder = new TempFolder();
        string legacy = folder.File("legacy.pth");
        File.WriteAllBytes(legacy, [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20]);
        var error = Assert.Throws<MilanInputException>(() => WeightsFile.Detect(legacy));
        Assert.Contains(legacy, error.Message);
        Assert.Contains("legacy format", error.Message);

        string broken = folder.File("resnet18.pth");
        File.WriteAllBytes(broken, [(byte)'P', (byte)'K', 3, 4, 0, 0, 0, 0, 0, 0]);
        error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(broken, "resnet18"));
        Assert.StartsWith(broken, error.Message);
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
