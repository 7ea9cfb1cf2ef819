using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length, a
/// JSON header mapping each tensor name to {dtype, shape, data_offsets} (plus an optional
/// "__metadata__" map of strings), then the raw little-endian tensor bytes. This is how weights
/// cross between PyTorch and this library (torch.save state dicts are read too: Models/PyTorchWeights).
/// </summary>
public static class SafeTensors
{
    internal const string MetadataKey = "__metadata__";

    internal static readonly Dictionary<string, ScalarType> TypesByName = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>Tensors (on the CPU) and metadata read from a file.</summary>
    public sealed record Contents(Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) : IDisposable
    {
        public void Dispose()
        {
            foreach (var tensor in Tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Reads every tensor of a file (on the CPU, in the file's types) and its metadata.</summary>
    public static Contents Read(string path)
    {
        var file = SafeTensorsFile.Open(path);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var name in file.Names) tensors[name] = file.Read(name);
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
        return new Contents(tensors, new Dictionary<string, string>(file.Metadata));
    }

    /// <summary>Writes tensors (moved to the CPU, made contiguous) and optional metadata, atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata) meta[key] = value;
            header[MetadataKey] = meta;
        }
        long offset = 0;
        foreach (var (name, tensor) in entries)
        {
            string dtypeName = TypesByName.FirstOrDefault(p => p.Value == tensor.dtype).Key
                               ?? throw new ArgumentException($"tensor '{name}': dtype {tensor.dtype} cannot be stored in safetensors");
            long size = tensor.numel() * ElementSize(tensor.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = dtypeName,
                ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        byte[] headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - headerBytes.Length % 8) % 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)(headerBytes.Length + padding));
            stream.Write(lengthBytes);
            stream.Write(headerBytes);
            for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in entries)
            {
                if (tensor.numel() == 0) continue;
                using var cpuCopy = tensor.detach().cpu().contiguous();
                stream.Write(cpuCopy.bytes);
            }
        });
    }

    internal static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new ArgumentException($"unsupported dtype {dtype}"),
    };
}
