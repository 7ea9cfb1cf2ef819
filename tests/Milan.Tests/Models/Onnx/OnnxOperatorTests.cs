using TorchSharp;
using Milan.Models.Onnx;
using Milan.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Milan.Tests.Models.Onnx;

/// <summary>
/// Each supported operator, in its attribute forms and across opset changes, built into a small
/// ONNX graph, run by the importer and by OnnxRuntime on the same input; the results must agree.
/// Convolutions of 4 channels switch oneDNN off, hence the collection.
/// </summary>
[Collection(OneDnnSwitchCollection.Name)]
public class OnnxOperatorTests(ITestOutputHelper output) : OneDnnSwitch
{
    private static Tensor Random(params long[] shape) => randn(shape) * 0.5;

    public static TheoryData<string> Cases => new(CaseBuilders.Keys);

    private static readonly Dictionary<string, Func<OnnxModelBuilder>> CaseBuilders = new()
    {
        ["Conv, unequal pads, stride 2, bias"] = () => new OnnxModelBuilder(8, 3, 9, 10)
            .Initializer("w", Random(4, 3, 3, 3)).Initializer("b", Random(4))
            .Node("Conv", ["x", "w", "b"], ["y"], "conv", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 2, 0, 1 })),
        ["Conv, groups, dilation"] = () => new OnnxModelBuilder(11, 4, 11, 11)
            .Initializer("w", Random(6, 2, 3, 3))
            .Node("Conv", ["x", "w"], ["y"], "", ("group", 2), ("dilations", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 2, 1, 2, 1 })),
        ["Conv, SAME_UPPER"] = () => new OnnxModelBuilder(11, 4, 11, 12)
            .Initializer("w", Random(3, 4, 3, 3))
            .Node("Conv", ["x", "w"], ["y"], "", ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER")),
        ["Conv, SAME_LOWER, even kernel"] = () => new OnnxModelBuilder(13, 3, 10, 9)
            .Initializer("w", Random(2, 3, 4, 4))
            .Node("Conv", ["x", "w"], ["y"], "", ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_LOWER")),
        ["BatchNormalization (opset 8 and 15)"] = () => new OnnxModelBuilder(15, 3, 5, 5)
            .Initializer("s", Random(3)).Initializer("b", Random(3)).Initializer("m", Random(3)).Initializer("v", rand(3) + 0.5)
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], "", ("epsilon", 1e-3f)),
        ["MaxPool, CNTK's unequal pads, odd size"] = () => new OnnxModelBuilder(8, 2, 9, 9)
            .Node("MaxPool", ["x"], ["y"], "", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 0, 0 })),
        ["MaxPool, ceil_mode, dilation"] = () => new OnnxModelBuilder(12, 2, 10, 10)
            .Node("MaxPool", ["x"], ["y"], "", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 }), ("ceil_mode", 1)),
        ["AveragePool, pads not counted"] = () => new OnnxModelBuilder(8, 2, 9, 9)
            .Node("AveragePool", ["x"], ["y"], "", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })),
        ["AveragePool, unequal pads not counted"] = () => new OnnxModelBuilder(8, 2, 9, 8)
            .Node("AveragePool", ["x"], ["y"], "", ("kernel_shape", new long[] { 3, 2 }), ("strides", new long[] { 2, 1 }), ("pads", new long[] { 0, 1, 2, 0 })),
        ["AveragePool, unequal pads counted"] = () => new OnnxModelBuilder(8, 2, 9, 8)
            .Node("AveragePool", ["x"], ["y"], "", ("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 0, 1, 2, 0 }), ("count_include_pad", 1)),
        ["GlobalAveragePool, Flatten, Gemm (a torch Linear)"] = () => new OnnxModelBuilder(11, 4, 5, 5)
            .Initializer("w", Random(7, 4)).Initializer("b", Random(7))
            .Node("GlobalAveragePool", ["x"], ["p"]).Node("Flatten", ["p"], ["f"], "", ("axis", 1))
            .Node("Gemm", ["f", "w", "b"], ["y"], "", ("transB", 1)),
        ["GlobalMaxPool, Reshape, Gemm with alpha, beta, C matrix"] = () => new OnnxModelBuilder(13, 4, 3, 3)
            .Initializer("w", Random(4, 5)).Initializer("c", Random(1, 5)).Ints("shape", 0, -1)
            .Node("GlobalMaxPool", ["x"], ["p"]).Node("Reshape", ["p", "shape"], ["f"])
            .Node("Gemm", ["f", "w", "c"], ["y"], "", ("alpha", 0.5f), ("beta", 2f)),
        ["Flatten, MatMul by a stored matrix, Add bias"] = () => new OnnxModelBuilder(9, 2, 3, 3)
            .Initializer("w", Random(18, 6)).Initializer("b", Random(6))
            .Node("Flatten", ["x"], ["f"]).Node("MatMul", ["f", "w"], ["m"]).Node("Add", ["m", "b"], ["y"]),
        ["Concat of two branches, Add of two values"] = () => new OnnxModelBuilder(13, 3, 6, 6)
            .Initializer("w1", Random(2, 3, 1, 1)).Initializer("w2", Random(3, 3, 3, 3)).Initializer("w3", Random(5, 3, 1, 1))
            .Node("Conv", ["x", "w1"], ["a"], "", ("kernel_shape", new long[] { 1, 1 }))
            .Node("Conv", ["x", "w2"], ["b"], "", ("pads", new long[] { 1, 1, 1, 1 }))
            .Node("Concat", ["a", "b"], ["c"], "", ("axis", 1))
            .Node("Conv", ["x", "w3"], ["d"])
            .Node("Add", ["c", "d"], ["y"]),
        ["Pad as attributes (opset 8), constant value"] = () => new OnnxModelBuilder(8, 2, 4, 5)
            .Node("Pad", ["x"], ["y"], "", ("pads", new long[] { 0, 0, 1, 2, 0, 0, 2, 0 }), ("value", 0.5f)),
        ["Pad as inputs (opset 13), reflect"] = () => new OnnxModelBuilder(13, 2, 4, 5)
            .Ints("pads", 0, 0, 1, 2, 0, 0, 2, 1)
            .Node("Pad", ["x", "pads"], ["y"], "", ("mode", "reflect")),
        ["Pad, edge, and cropping"] = () => new OnnxModelBuilder(11, 2, 6, 6)
            .Ints("pads", 0, 0, 1, 0, 0, 0, 0, 2).Ints("crop", 0, 0, -1, 0, 0, 0, 0, -2)
            .Node("Pad", ["x", "pads"], ["p"], "", ("mode", "edge"))
            .Node("Pad", ["p", "crop"], ["y"]),
        ["Activations, Dropout, Clip (opset 8)"] = () => new OnnxModelBuilder(8, 2, 4, 4)
            .Node("Relu", ["x"], ["a"]).Node("Dropout", ["x"], ["b"], "", ("ratio", 0.3f)).Node("LeakyRelu", ["b"], ["c"], "", ("alpha", 0.2f))
            .Node("Sigmoid", ["a"], ["d"]).Node("Tanh", ["c"], ["e"]).Node("Add", ["d", "e"], ["f"])
            .Node("Clip", ["f"], ["g"], "", ("min", -0.2f), ("max", 0.9f)).Node("Identity", ["g"], ["y"]),
        ["Clip as inputs, Softmax over the flattened rest (opset 11)"] = () => new OnnxModelBuilder(11, 3, 2, 2)
            .Initializer("lo", tensor(-0.3f)).Initializer("hi", tensor(0.4f))
            .Node("Clip", ["x", "lo", "hi"], ["c"]).Node("Softmax", ["c"], ["y"], "", ("axis", 1)),
        ["Softmax over one axis (opset 13), Dropout"] = () => new OnnxModelBuilder(13, 3, 2, 4)
            .Node("Dropout", ["x"], ["d"]).Node("Softmax", ["d"], ["y"], "", ("axis", 1)),
        ["Split (attribute), arithmetic with stored and computed operands"] = () => new OnnxModelBuilder(8, 3, 4, 4)
            .Initializer("mean", Random(1, 3, 4, 4)).Initializer("two", tensor(new[] { 2f, 3f, 4f }).reshape(1, 3, 1, 1))
            .Node("Split", ["x"], ["r", "g", "b"], "", ("axis", 1), ("split", new long[] { 1, 1, 1 }))
            .Node("Concat", ["b", "g", "r"], ["bgr"], "", ("axis", 1))
            .Node("Sub", ["bgr", "mean"], ["s"]).Node("Sub", ["mean", "s"], ["t"]).Node("Div", ["t", "two"], ["u"])
            .Node("Mul", ["u", "s"], ["v"]).Node("Div", ["v", "two"], ["y"]),
        ["Split (input, opset 13), unequal parts"] = () => new OnnxModelBuilder(13, 5, 2, 2)
            .Ints("sizes", 2, 3)
            .Node("Split", ["x", "sizes"], ["a", "b"], "", ("axis", 1))
            .Node("Concat", ["b", "a"], ["y"], "", ("axis", 1)),
        ["Reshape to the exported batch of 1"] = () => new OnnxModelBuilder(13, 2, 3, 3, batch: 1)
            .Ints("shape", 1, -1).Node("Reshape", ["x", "shape"], ["y"]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_operator_matches_onnx_runtime(string name)
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        var builder = CaseBuilders[name]();
        manual_seed(7);
        string path = builder.Save(Path.Combine(folder.Path, "model.onnx"));
        var shape = builder.Build().Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray();
        var input = randn(shape[0] > 0 ? shape[0] : 2, shape[1], shape[2], shape[3]);

        using var network = OnnxNetwork.Load(path);
        Tensor ours;
        using (no_grad()) ours = network.call(input);
        var expected = OnnxRuntimeReference.Run(path, input);

        Assert.Equal(expected.shape, ours.shape);
        double difference = (ours - expected).abs().max().item<float>();
        output.WriteLine($"{name}: output [{string.Join(",", ours.shape)}], max |ours - OnnxRuntime| = {difference:G3}");
        Assert.True(difference <= 1e-5, $"max abs difference {difference}");
    }

    [Fact]
    public void A_reshape_to_the_exported_batch_of_1_keeps_the_batch_of_a_larger_input()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        string path = new OnnxModelBuilder(13, 2, 3, 3, batch: 1).Ints("shape", 1, -1).Node("Reshape", ["x", "shape"], ["y"]).Save(folder.File("m.onnx"));
        using var network = OnnxNetwork.Load(path);
        var input = randn(3, 2, 3, 3);
        Assert.Equal(input.reshape(3, 18).data<float>().ToArray(), network.call(input).data<float>().ToArray());
    }

    [Fact]
    public void Converting_the_network_converts_the_weights_its_nodes_compute_with()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        manual_seed(2);
        string path = CaseBuilders["Concat of two branches, Add of two values"]().Save(folder.File("m.onnx"));
        using var network = OnnxNetwork.Load(path);
        var input = randn(2, 3, 6, 6);
        var single = network.call(input);
        network.to(ScalarType.Float64);
        var converted = network.call(input.to(ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, converted.dtype);
        Assert.True((converted.to(ScalarType.Float32) - single).abs().max().item<float>() < 1e-5);
    }
}
