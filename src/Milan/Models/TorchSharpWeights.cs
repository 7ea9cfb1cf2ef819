using System.Text;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Reads and writes TorchSharp's own weight format (what <c>Module.save</c> writes) as a dictionary
/// of named tensors, so loading goes through the same strict key check as safetensors. Layout: an
/// unsigned LEB128 entry count, then per entry the name (.NET BinaryWriter string: 7-bit length
/// prefix, UTF-8), the dtype (LEB128 of TorchSharp's ScalarType), the rank and each dimension
/// (LEB128), and the raw little-endian element bytes.
/// </summary>
internal static class TorchSharpWeights
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var stream = IO.InputFile.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            long count = ReadLeb128(reader, path);
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                var dtype = (ScalarType)ReadLeb128(reader, path);
                long rank = ReadLeb128(reader, path);
                if (rank > 16) throw MilanInputException.InFile(path, $"tensor '{name}' has rank {rank}; not a TorchSharp weight file");
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) shape[d] = ReadLeb128(reader, path);
                int elementSize = ElementSize(dtype)
                                  ?? throw MilanInputException.InFile(path, $"tensor '{name}' has unsupported dtype code {(int)dtype}; not a TorchSharp weight file?");
                long byteCount = ByteCount(shape, elementSize);
                if (byteCount < 0 || byteCount > stream.Length - stream.Position)
                    throw MilanInputException.InFile(path, $"tensor '{name}' needs {byteCount} bytes but the file ends first (truncated, or not a TorchSharp weight file)");
                var tensor = empty(shape, dtype);
                if (byteCount > 0) tensor.bytes = reader.ReadBytes((int)byteCount);
                if (!tensors.TryAdd(name, tensor))
                {
                    tensor.Dispose();
                    throw MilanInputException.InFile(path, $"tensor '{name}' appears twice");
                }
            }
            if (stream.Position != stream.Length)
                throw MilanInputException.InFile(path, $"{stream.Length - stream.Position} bytes follow the last tensor; not a TorchSharp weight file");
            return tensors;
        }
        catch (Exception e)
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            if (e is EndOfStreamException)
                throw MilanInputException.InFile(path, "the file ends in the middle of an entry (truncated, or not a TorchSharp weight file)");
            throw;
        }
    }

    /// <summary>Writes <paramref name="module"/>'s state dict atomically in TorchSharp's format.</summary>
    public static void Write(nn.Module module, string path) =>
        IO.AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            module.save(writer);
            writer.Flush();
        });

    /// <summary>The bytes of a tensor of this shape, or −1 when a dimension is negative or the count overflows (no file holds it).</summary>
    private static long ByteCount(long[] shape, int elementSize)
    {
        try
        {
            return shape.Any(d => d < 0) ? -1 : checked(shape.Aggregate(1L, (a, b) => a * b) * elementSize);
        }
        catch (OverflowException)
        {
            return -1;
        }
    }

    private static long ReadLeb128(BinaryReader reader, string path)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw MilanInputException.InFile(path, "a length field is longer than 64 bits; not a TorchSharp weight file");
    }

    private static int? ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => null,
    };
}
