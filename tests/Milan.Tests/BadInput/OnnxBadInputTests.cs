using Google.Protobuf;
using Milan.Models.Onnx;
using Milan.Tests.Models.Onnx;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.BadInput;

/// <summary>
/// Bad ONNX files given to the importer (<see cref="OnnxNetwork.Load"/>), beside the operator and
/// graph errors of <see cref="OnnxImportErrorTests"/>: damaged files, weights, folders and names.
/// </summary>
public class OnnxBadInputTests
{
    /// <summary>A one-convolution model (3 → 2 channels, 1×1 kernel) as bytes.</summary>
    private static byte[] Conv(float weight = 0.5f)
    {
        using var w = full([2, 3, 1, 1], weight);
        return new OnnxModelBuilder(8, 3, 4, 4).Initializer("w", w).Node("Conv", ["x", "w"], ["y"], "conv").Build().ToByteArray();
    }

    private static void Load(string path) => OnnxNetwork.Load(path).Dispose();

    [Fact]
    public void A_model_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] model = Conv();
        foreach (int cut in Refusal.CutPoints(model.Length))
        {
            string path = Refusal.Write(folder, "conv.onnx", model[..cut]);
            Refusal.Expect(path, () => Load(path), "not an ONNX model");
        }
    }

    [Fact]
    public void Other_files_and_empty_files_are_refused()
    {
        using var folder = new TempFolder();
        string safetensors = Refusal.Write(folder, "weights.onnx", [16, 0, 0, 0, 0, 0, 0, 0, .. "{\"w\": {}}      "u8.ToArray()]);
        Refusal.Expect(safetensors, () => Load(safetensors), "not an ONNX model");
        string empty = Refusal.Write(folder, "empty.onnx", []);
        Refusal.Expect(empty, () => Load(empty), "not an ONNX model");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Weights_holding_nan_or_infinity_are_refused_by_name(float bad)
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "conv.onnx", Conv(bad));
        Refusal.Expect(path, () => Load(path), "tensor 'w': 6 of its 6 values are NaN or infinite");
    }

    [Fact]
    public void Huge_and_negative_declared_dimensions_are_refused()
    {
        using var folder = new TempFolder();
        var model = new OnnxModelBuilder(8, 3, 4, 4).Initializer("w", ones(2, 3, 1, 1)).Node("Conv", ["x", "w"], ["y"]).Build();
        model.Graph.Initializer[0].Dims[0] = 1L << 40;
        model.Graph.Initializer[0].Dims[1] = 1L << 40;
        string huge = Refusal.Write(folder, "huge.onnx", model.ToByteArray());
        Refusal.Expect(huge, () => Load(huge), "tensor 'w'", "overflow");

        model.Graph.Initializer[0].Dims[0] = -2;
        model.Graph.Initializer[0].Dims[1] = 3;
        string negative = Refusal.Write(folder, "negative.onnx", model.ToByteArray());
        Refusal.Expect(negative, () => Load(negative), "negative dimension");
    }

    [Fact]
    public void A_folder_where_the_file_should_be_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        Directory.CreateDirectory(path);
        Refusal.Expect(path, () => Load(path), "is a folder");
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        string good = Refusal.Write(folder, "réseaux ü/modèle 1.onnx", Conv());
        Load(good);
        string broken = Refusal.Write(folder, "réseaux ü/modèle 2.onnx", Conv()[..30]);
        Refusal.Expect(broken, () => Load(broken), "not an ONNX model");
    }

    [PermissionFact]
    public void An_unreadable_model_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "conv.onnx", Conv());
        Refusal.MakeUnreadable(path);
        Refusal.Expect(path, () => Load(path), "permission denied");
    }
}
