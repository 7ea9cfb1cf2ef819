using Google.Protobuf;
using Milan.Models.Onnx;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Models.Onnx;

/// <summary>Files the importer cannot build are one input error that names the file and what is wrong.</summary>
public class OnnxImportErrorTests
{
    private static MilanInputException Refused(string path) => Assert.Throws<MilanInputException>(() => OnnxNetwork.Load(path).Dispose());

    [Fact]
    public void An_unsupported_operator_is_named_with_its_node_and_the_file()
    {
        using var folder = new TempFolder();
        string path = new OnnxModelBuilder(13, 3, 4, 4).Node("Relu", ["x"], ["r"]).Node("Resize", ["r"], ["y"], "up/Resize").Save(folder.File("resize.onnx"));
        var error = Refused(path);
        Assert.StartsWith(path + ":", error.Message);
        Assert.Contains("operator 'Resize' (node 'up/Resize') is not supported", error.Message);
    }

    [Fact]
    public void An_operator_of_another_domain_is_named_with_its_domain()
    {
        using var folder = new TempFolder();
        var model = new OnnxModelBuilder(13, 3, 4, 4).Node("FusedConv", ["x"], ["y"]).Build();
        model.Graph.Node[0].Domain = "com.microsoft";
        File.WriteAllBytes(folder.File("m.onnx"), model.ToByteArray());
        Assert.Contains("operator 'com.microsoft.FusedConv'", Refused(folder.File("m.onnx")).Message);
    }

    [Fact]
    public void Missing_garbage_and_truncated_files_are_input_errors()
    {
        using var folder = new TempFolder();
        Assert.Contains("ONNX model not found", Refused(folder.File("absent.onnx")).Message);

        File.WriteAllBytes(folder.File("garbage.onnx"), Enumerable.Range(0, 300).Select(i => (byte)(i * 37 + 11)).ToArray());
        Assert.Contains("not an ONNX model", Refused(folder.File("garbage.onnx")).Message);

        var bytes = new OnnxModelBuilder(8, 3, 4, 4).Initializer("w", ones(2, 3, 1, 1)).Node("Conv", ["x", "w"], ["y"]).Build().ToByteArray();
        File.WriteAllBytes(folder.File("truncated.onnx"), bytes[..(bytes.Length - 20)]);
        var error = Refused(folder.File("truncated.onnx"));
        Assert.StartsWith(folder.File("truncated.onnx") + ":", error.Message);
    }

    [Fact]
    public void Stored_data_that_does_not_fit_its_dimensions_is_refused()
    {
        using var folder = new TempFolder();
        var model = new OnnxModelBuilder(8, 3, 4, 4).Initializer("w", ones(2, 3, 1, 1)).Node("Conv", ["x", "w"], ["y"]).Build();
        model.Graph.Initializer[0].Dims[0] = 3;
        File.WriteAllBytes(folder.File("m.onnx"), model.ToByteArray());
        Assert.Contains("tensor 'w': raw_data holds 24 bytes; dimensions [3,3,1,1] need 36", Refused(folder.File("m.onnx")).Message);
    }

    [Fact]
    public void Weights_computed_by_the_graph_and_unused_extra_outputs_are_refused_by_name()
    {
        using var folder = new TempFolder();
        string computedWeights = new OnnxModelBuilder(13, 3, 4, 4).Node("Relu", ["x"], ["w"]).Node("Conv", ["x", "w"], ["y"], "c").Save(folder.File("a.onnx"));
        Assert.Contains("node 'c' (Conv)", Refused(computedWeights).Message);

        string indices = new OnnxModelBuilder(13, 3, 4, 4)
            .Node("MaxPool", ["x"], ["p", "i"], "pool", ("kernel_shape", new long[] { 2, 2 }))
            .Node("Add", ["p", "i"], ["y"]).Save(folder.File("b.onnx"));
        Assert.Contains("node 'pool' (MaxPool): its output 'i' is used", Refused(indices).Message);
    }

    [Fact]
    public void An_unknown_attribute_is_refused_rather_than_ignored()
    {
        using var folder = new TempFolder();
        string path = new OnnxModelBuilder(13, 3, 4, 4).Node("AveragePool", ["x"], ["y"], "avg", ("kernel_shape", new long[] { 2, 2 }), ("frobnicate", 1)).Save(folder.File("m.onnx"));
        Assert.Contains("node 'avg' (AveragePool): attribute(s) frobnicate not supported", Refused(path).Message);
    }

    [Fact]
    public void A_graph_without_one_image_input_is_refused()
    {
        using var folder = new TempFolder();
        var model = new OnnxModelBuilder(13, 3, 4, 4).Node("Relu", ["x"], ["y"]).Build();
        model.Graph.Input[0].Type.TensorType.Shape.Dim.RemoveAt(3);
        File.WriteAllBytes(folder.File("m.onnx"), model.ToByteArray());
        Assert.Contains("input 'x' has rank 3; expected images", Refused(folder.File("m.onnx")).Message);
    }
}
