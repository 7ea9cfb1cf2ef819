using Milan.Models;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

/// <summary>
/// torchvision weights saved by PyTorch itself (Debian's torch 1.13 and torchvision 0.14, run here):
/// .pth state dicts load into our models by name and give torchvision's logits; checkpoints that
/// nest the state dict, DataParallel prefixes and files without num_batches_tracked load too; the
/// wrong network's file is one error that names it.
/// </summary>
public sealed class PyTorchWeightsTests : IClassFixture<PyTorchWeightsTests.Files>
{
    private readonly Files _files;

    public PyTorchWeightsTests(Files files) => _files = files;

    /// <summary>The .pth files and torchvision's logits on one seeded input, written once by PyTorch.</summary>
    public sealed class Files : IDisposable
    {
        private const string Script = """
            import sys, torch, torchvision
            folder = sys.argv[1]
            torch.manual_seed(0)
            x = torch.rand(2, 3, 64, 64)
            torch.save({"x": x}, folder + "/input.pt")
            for name, make in [("resnet18", torchvision.models.resnet18), ("resnet50", torchvision.models.resnet50)]:
                torch.manual_seed(1)
                model = make(num_classes=10).eval()
                for module in model.modules():
                    if isinstance(module, torch.nn.BatchNorm2d):   # non-trivial statistics
                        module.running_mean.uniform_(-0.1, 0.1); module.running_var.uniform_(0.5, 1.5)
                state = model.state_dict()
                torch.save(state, f"{folder}/{name}.pth")
                with torch.no_grad():
                    logits = model(x)
                open(f"{folder}/{name}.txt", "w").write(" ".join(repr(v) for v in logits.flatten().tolist()))
                if name == "resnet18":
                    torch.save({"epoch": 3, "state_dict": {"module." + k: v for k, v in state.items()}}, f"{folder}/checkpoint.pth")
                    torch.save({k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}, f"{folder}/old.pth")
            torch.save(torchvision.models.alexnet(num_classes=10).state_dict(), folder + "/alexnet.pth")
            """;

        private readonly TempFolder _folder = new();

        public Files() => DebianPython.Run(Script, _folder.Path);

        public string File(string name) => _folder.File(name);

        public float[] Logits(string architecture) =>
            System.IO.File.ReadAllText(File(architecture + ".txt")).Split(' ').Select(float.Parse).ToArray();

        public void Dispose() => _folder.Dispose();
    }

    [Theory]
    [InlineData("resnet18", "resnet18.pth")]
    [InlineData("resnet50", "resnet50.pth")]
    [InlineData("resnet18", "checkpoint.pth")]
    [InlineData("resnet18", "old.pth")]
    public void A_torchvision_state_dict_gives_torchvisions_logits(string architecture, string file)
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Load(_files.File(file), architecture, imageSize: 64);
        Assert.Equal(10, model.Spec.Classes);
        var input = Input();

        float[] logits;
        using (no_grad()) logits = model.call(input).flatten().data<float>().ToArray();

        var expected = _files.Logits(architecture);
        Assert.Equal(expected.Length, logits.Length);
        double scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(logits), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4 * scale, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void Another_networks_state_dict_is_one_error_naming_the_file()
    {
        string path = _files.File("alexnet.pth");
        var error = Assert.Throws<MilanInputException>(() => SubjectModel.Load(path, "resnet18", imageSize: 64).Dispose());
        Assert.StartsWith(path + ":", error.Message);
    }

    /// <summary>The input PyTorch saved, read back through the same reader.</summary>
    private Tensor Input()
    {
        var contents = WeightsFile.Read(_files.File("input.pt"));
        return contents.Tensors["x"];
    }
}
