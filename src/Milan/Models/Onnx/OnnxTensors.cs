using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// Turns an ONNX TensorProto (an initializer or a constant) into a CPU tensor. The element count and
/// the stored data must agree exactly; data kept in external files and element types the importer
/// has no use for are refused.
/// </summary>
internal static class OnnxTensors
{
    public static Tensor ToTensor(TensorProto proto, string path)
    {
        string name = string.IsNullOrEmpty(proto.Name) ? "(unnamed)" : proto.Name;
        MilanInputException Problem(string problem) => MilanInputException.InFile(path, $"tensor '{name}': {problem}");

        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
            throw Problem("its data is stored in an external file, which the importer does not read; save the model with the weights inside");
        var shape = proto.Dims.ToArray();
        if (shape.Any(d => d < 0)) throw Problem($"negative dimension in [{string.Join(",", shape)}]");
        long count;
        try
        {
            count = shape.Aggregate(1L, (a, d) => checked(a * d));
        }
        catch (OverflowException)
        {
            throw Problem($"dimensions [{string.Join(",", shape)}] overflow");
        }
        if (count > Array.MaxLength) throw Problem($"{count} elements are more than one array can hold");

        var type = (TensorProto.Types.DataType)proto.DataType;
        var raw = proto.RawData.Span;
        return type switch
        {
            TensorProto.Types.DataType.Float => Build(proto.FloatData, raw, shape, count, 4, Problem),
            TensorProto.Types.DataType.Double => Build(proto.DoubleData, raw, shape, count, 8, Problem),
            TensorProto.Types.DataType.Int64 => Build(proto.Int64Data, raw, shape, count, 8, Problem),
            TensorProto.Types.DataType.Int32 => Build(proto.Int32Data, raw, shape, count, 4, Problem),
            _ => throw Problem($"element type {type} is not supported (float, double, int64 and int32 are)"),
        };
    }

    /// <summary>From raw little-endian bytes when present, else from the typed field.</summary>
    private static Tensor Build<T>(IReadOnlyList<T> typed, ReadOnlySpan<byte> raw, long[] shape, long count, int elementSize,
                                   Func<string, MilanInputException> problem) where T : unmanaged
    {
        T[] values;
        if (raw.Length > 0)
        {
            if (raw.Length != count * elementSize)
                throw problem($"raw_data holds {raw.Length} bytes; dimensions [{string.Join(",", shape)}] need {count * elementSize}");
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian");
            values = MemoryMarshal.Cast<byte, T>(raw).ToArray();
        }
        else
        {
            if (typed.Count != count)
                throw problem($"holds {typed.Count} values; dimensions [{string.Join(",", shape)}] need {count}");
            values = typed.ToArray();
        }
        return values switch
        {
            float[] f => tensor(f, shape),
            double[] d => tensor(d, shape),
            long[] l => tensor(l, shape),
            int[] i => tensor(i, shape),
            _ => throw new InvalidOperationException(typeof(T).Name),
        };
    }
}
