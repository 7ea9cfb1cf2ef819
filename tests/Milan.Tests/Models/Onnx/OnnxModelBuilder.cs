using Google.Protobuf;
using Milan.Models.Onnx;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Milan.Tests.Models.Onnx;

/// <summary>
/// Writes small ONNX models for tests with the importer's generated protobuf classes: one float
/// image input "x" (batch symbolic), nodes, float initializers, one output "y".
/// </summary>
internal sealed class OnnxModelBuilder(long opset, long channels, long height, long width, long? batch = null)
{
    private readonly GraphProto _graph = new() { Name = "test" };

    public OnnxModelBuilder Node(string op, string[] inputs, string[] outputs, string name = "", params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (key, value) in attributes) node.Attribute.Add(Attribute(key, value));
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>A float initializer filled from the seeded generator (scaled), or given values.</summary>
    public OnnxModelBuilder Initializer(string name, Tensor value)
    {
        var proto = new TensorProto { Name = name };
        proto.Dims.AddRange(value.shape);
        if (value.dtype == ScalarType.Int64)
        {
            proto.DataType = (int)TensorProto.Types.DataType.Int64;
            proto.Int64Data.AddRange(value.data<long>().ToArray());
        }
        else
        {
            proto.DataType = (int)TensorProto.Types.DataType.Float;
            proto.RawData = ByteString.CopyFrom(value.to(ScalarType.Float32).contiguous().bytes.ToArray());
        }
        _graph.Initializer.Add(proto);
        return this;
    }

    public OnnxModelBuilder Ints(string name, params long[] values) => Initializer(name, tensor(values));

    public ModelProto Build()
    {
        var model = new ModelProto { IrVersion = 7, ProducerName = "Milan.Tests", Graph = _graph.Clone() };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        var shape = new TensorShapeProto();
        shape.Dim.Add(batch is { } b ? new TensorShapeProto.Types.Dimension { DimValue = b } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var d in new[] { channels, height, width }) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        model.Graph.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } });
        model.Graph.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        return model;
    }

    public string Save(string path)
    {
        File.WriteAllBytes(path, Build().ToByteArray());
        return path;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i:
                a.Type = AttributeProto.Types.AttributeType.Int;
                a.I = i;
                break;
            case float f:
                a.Type = AttributeProto.Types.AttributeType.Float;
                a.F = f;
                break;
            case string s:
                a.Type = AttributeProto.Types.AttributeType.String;
                a.S = ByteString.CopyFromUtf8(s);
                break;
            case long[] ints:
                a.Type = AttributeProto.Types.AttributeType.Ints;
                a.Ints.AddRange(ints);
                break;
            default:
                throw new ArgumentException($"attribute {name}: {value.GetType().Name}");
        }
        return a;
    }
}
