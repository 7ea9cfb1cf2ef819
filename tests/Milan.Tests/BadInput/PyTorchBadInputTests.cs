using Milan.Models;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.BadInput;

/// <summary>Bad PyTorch state dicts (torch.save's .pth, written by Debian's PyTorch) given to <see cref="WeightsFile.Load"/>.</summary>
public sealed class PyTorchBadInputTests : IClassFixture<PyTorchBadInputTests.Files>
{
    private readonly Files _files;

    public PyTorchBadInputTests(Files files) => _files = files;

    /// <summary>.pth files of a linear layer 3 → 2, written once by PyTorch: valid, with NaN and infinite weights, pre-1.6, and not a state dict.</summary>
    public sealed class Files : IDisposable
    {
        private const string Script = """
            import sys, torch
            folder = sys.argv[1]
            layer = torch.nn.Linear(3, 2)
            state = layer.state_dict()
            torch.save(state, folder + "/linear.pth")
            bad = {k: v.clone() for k, v in state.items()}
            bad["weight"][0, 0] = float("nan"); bad["weight"][1, 2] = float("inf")
            torch.save(bad, folder + "/nan.pth")
            torch.save(state, folder + "/legacy.pth", _use_new_zipfile_serialization=False)
            torch.save({"epoch": 3, "lr": 0.1}, folder + "/not-a-state-dict.pth")
            torch.save({"weight": state["weight"]}, folder + "/missing-bias.pth")
            """;

        private readonly TempFolder _folder = new();

        public Files() => DebianPython.Run(Script, _folder.Path);

        public byte[] Bytes(string name) => File.ReadAllBytes(_folder.File(name));

        public void Dispose() => _folder.Dispose();
    }

    private static void LoadIntoLinear(string path)
    {
        using var layer = nn.Linear(3, 2);
        WeightsFile.Load(layer, path);
    }

    [Fact]
    public void The_valid_file_loads()
    {
        using var folder = new TempFolder();
        LoadIntoLinear(Refusal.Write(folder, "linear.pth", _files.Bytes("linear.pth")));
    }

    [Fact]
    public void A_file_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] file = _files.Bytes("linear.pth");
        foreach (int cut in Refusal.CutPoints(file.Length))
        {
            string path = Refusal.Write(folder, "linear.pth", file[..cut]);
            Refusal.Expect(path, () => LoadIntoLinear(path));
        }
    }

    [Theory]
    [InlineData("nan.pth", "values that are not finite: weight (1 NaN, 1 infinite)")]
    [InlineData("legacy.pth", "from before 1.6")]
    [InlineData("not-a-state-dict.pth", "not a state dict of tensors")]
    [InlineData("missing-bias.pth", "missing keys: bias")]
    public void Wrong_contents_are_refused_naming_what_is_wrong(string name, string what)
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, name, _files.Bytes(name));
        Refusal.Expect(path, () => LoadIntoLinear(path), what);
    }

    [Fact]
    public void A_zip_that_is_not_a_pytorch_file_is_refused()
    {
        using var folder = new TempFolder();
        using var scratch = new TempFolder();
        File.WriteAllText(scratch.File("readme.txt"), "hello");
        string zip = folder.File("archive.pth");
        System.IO.Compression.ZipFile.CreateFromDirectory(scratch.Path, zip);
        Refusal.Expect(zip, () => LoadIntoLinear(zip), "a torch.save archive holds one", "this zip holds 0");
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        LoadIntoLinear(Refusal.Write(folder, "poids à lire/modèle ø.pth", _files.Bytes("linear.pth")));
        string broken = Refusal.Write(folder, "poids à lire/modèle ß.pth", _files.Bytes("linear.pth")[..200]);
        Refusal.Expect(broken, () => LoadIntoLinear(broken));
    }

    [PermissionFact]
    public void An_unreadable_file_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "linear.pth", _files.Bytes("linear.pth"));
        Refusal.MakeUnreadable(path);
        Refusal.Expect(path, () => LoadIntoLinear(path), "permission denied");
    }
}
