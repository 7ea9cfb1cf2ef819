using System.Text;
using Milan.Models;
using Milan.Tests.Support;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Tests.BadInput;

/// <summary>Bad safetensors files given to the weight readers (<see cref="SafeTensorsFile"/>, <see cref="WeightsFile"/> into a module).</summary>
public class SafeTensorsBadInputTests
{
    /// <summary>A linear layer 3 → 2: weight (2, 3), bias (2), in safetensors as PyTorch writes them.</summary>
    private static byte[] Linear(float weightValue = 0.5f)
    {
        using var layer = nn.Linear(3, 2);
        using (no_grad())
        {
            layer.weight!.fill_(weightValue);
            layer.bias!.fill_(0.25f);
        }
        using var folder = new TempFolder();
        string path = folder.File("linear.safetensors");
        ModuleWeights.SaveSafeTensors(layer, path);
        return File.ReadAllBytes(path);
    }

    /// <summary>A file with a hand-written JSON header and <paramref name="data"/> zero bytes of tensor data.</summary>
    private static byte[] WithHeader(string json, int data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[data]];
    }

    private static void LoadIntoLinear(string path)
    {
        using var layer = nn.Linear(3, 2);
        WeightsFile.Load(layer, path);
    }

    [Fact]
    public void A_file_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] file = Linear();
        foreach (int cut in Refusal.CutPoints(file.Length))
        {
            string path = Refusal.Write(folder, "linear.safetensors", file[..cut]);
            // Cut inside the 8-byte length the file no longer looks like safetensors, and TorchSharp's reader refuses it.
            Refusal.Expect(path, () => LoadIntoLinear(path));
            if (cut >= 9) Refusal.Expect(path, () => SafeTensorsFile.Open(path), cut < 8 + BitConverter.ToInt64(file) ? "header length" : "inside the data section");
        }
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "empty.safetensors", []);
        Refusal.Expect(path, () => SafeTensorsFile.Open(path), "not a safetensors file");
        Refusal.Expect(path, () => LoadIntoLinear(path));
    }

    [Theory]
    [InlineData("{\"w\": {\"dtype\": \"F128\", \"shape\": [1], \"data_offsets\": [0, 16]}}", 16, "unsupported dtype '\"F128\"'")]
    [InlineData("{\"w\": {\"dtype\": 7, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "unsupported dtype '7'")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, -1], \"data_offsets\": [0, 4]}}", 4, "expected a list of non-negative integers")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": \"2x2\", \"data_offsets\": [0, 16]}}", 16, "'shape' is \"2x2\"")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, \"8\"]}}", 8, "'data_offsets' [0,\"8\"]")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 800]}}", 8, "inside the data section of 8 bytes")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8, "holds 8 bytes, but shape [3] of F32 needs 12")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"v\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12, "overlap")]
    [InlineData("{\"w\": {\"dtype\": \"U8\", \"shape\": [4294967296, 4294967296, 4294967296], \"data_offsets\": [0, 8]}}", 8, "more bytes than any file can hold")]
    [InlineData("{\"__metadata__\": {\"format\": 3}, \"w\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1, "'__metadata__.format' is not a string")]
    [InlineData("{\"__metadata__\": [1], \"w\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1, "is not an object of strings")]
    [InlineData("{\"w\": [1, 2]}", 0, "entry is not an object")]
    [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], ", 4, "malformed safetensors JSON header")]
    [InlineData("[1, 2, 3]", 0, "malformed safetensors JSON header")]
    public void Wrong_dtypes_shapes_offsets_and_headers_are_refused(string json, int data, string what)
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "bad.safetensors", WithHeader(json, data));
        Refusal.Expect(path, () => SafeTensorsFile.Open(path), what);
    }

    [Fact]
    public void A_header_length_larger_than_the_file_is_refused()
    {
        using var folder = new TempFolder();
        byte[] file = Linear();
        BitConverter.GetBytes(ulong.MaxValue).CopyTo(file, 0);
        string path = Refusal.Write(folder, "long.safetensors", file);
        Refusal.Expect(path, () => SafeTensorsFile.Open(path), "exceeds the file");
    }

    [Theory]
    [InlineData(float.NaN, "2 NaN, 0 infinite")]
    [InlineData(float.PositiveInfinity, "0 NaN, 2 infinite")]
    public void Weights_holding_nan_or_infinity_are_refused_by_name(float bad, string counts)
    {
        using var folder = new TempFolder();
        byte[] file = Linear();
        string path = Refusal.Write(folder, "linear.safetensors", file);
        using (var contents = SafeTensors.Read(path))
        {
            contents.Tensors["weight"][0, 1] = bad;
            contents.Tensors["weight"][1, 2] = bad;
            SafeTensors.Write(path, contents.Tensors);
        }
        Refusal.Expect(path, () => LoadIntoLinear(path), "values that are not finite", $"weight ({counts})");
    }

    [Fact]
    public void Weights_of_the_wrong_shape_or_names_are_refused_listing_them()
    {
        using var folder = new TempFolder();
        using var other = nn.Linear(4, 2);
        string path = folder.File("other.safetensors");
        ModuleWeights.SaveSafeTensors(other, path);
        Refusal.Expect(path, () => LoadIntoLinear(path), "shape mismatches: weight (model [2,3], file [2,4])");

        using var renamed = new TempFolder();
        string named = renamed.File("renamed.safetensors");
        using (var contents = SafeTensors.Read(path))
            SafeTensors.Write(named, new Dictionary<string, Tensor> { ["layer.weight"] = contents.Tensors["weight"], ["bias"] = contents.Tensors["bias"] });
        Refusal.Expect(named, () => LoadIntoLinear(named), "unknown keys: layer.weight", "missing keys: weight");
    }

    [Fact]
    public void A_folder_where_the_file_should_be_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");
        Directory.CreateDirectory(path);
        Refusal.Expect(path, () => SafeTensorsFile.Open(path), "is a folder");
        Refusal.Expect(path, () => LoadIntoLinear(path), "is a folder");
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        string good = Refusal.Write(folder, "modèles à tester/poids ÿ.safetensors", Linear());
        LoadIntoLinear(good);
        string broken = Refusal.Write(folder, "modèles à tester/poids ÿ 2.safetensors", Linear()[..40]);
        Refusal.Expect(broken, () => LoadIntoLinear(broken));
    }

    [PermissionFact]
    public void An_unreadable_file_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "linear.safetensors", Linear());
        Refusal.MakeUnreadable(path);
        Refusal.Expect(path, () => LoadIntoLinear(path), "permission denied");
    }
}
