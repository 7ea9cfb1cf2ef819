using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// A safetensors file opened for reading tensors one at a time: the header is parsed and validated
/// up front, each tensor's bytes are read only when asked for (so a caller can take 17 of
/// roberta-large's 24 layers without loading the rest). See <see cref="SafeTensors"/> for the format.
/// </summary>
public sealed class SafeTensorsFile
{
    private readonly string _path;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries;

    private sealed record Entry(ScalarType Type, long[] Shape, long Begin, long End);

    public IReadOnlyCollection<string> Names => _entries.Keys;

    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafeTensorsFile(string path, long dataStart, Dictionary<string, Entry> entries, Dictionary<string, string> metadata)
    {
        _path = path;
        _dataStart = dataStart;
        _entries = entries;
        Metadata = metadata;
    }

    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "file not found");
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Length < 8 || stream.Read(lengthBytes) != 8)
            throw MilanInputException.InFile(path, "not a safetensors file (shorter than its 8-byte header length)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > 100_000_000)
            throw MilanInputException.InFile(path, $"not a safetensors file (header length {headerLength} exceeds the file)");
        byte[] headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new JsonException("empty header");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw MilanInputException.InFile(path, $"malformed safetensors JSON header ({e.Message})");
        }

        long dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == SafeTensors.MetadataKey)
            {
                foreach (var (key, value) in node!.AsObject()) metadata[key] = value!.GetValue<string>();
                continue;
            }
            entries[name] = ParseEntry(path, dataLength, name, node);
        }
        return new SafeTensorsFile(path, dataStart, entries, metadata);
    }

    private static Entry ParseEntry(string path, long dataLength, string name, JsonNode? node)
    {
        string Field(string what) => $"tensor '{name}': {what}";
        if (node is not JsonObject entry) throw MilanInputException.InFile(path, Field("entry is not an object"));
        string? dtypeName = entry["dtype"]?.GetValue<string>();
        if (dtypeName is null || !SafeTensors.TypesByName.TryGetValue(dtypeName, out var dtype))
            throw MilanInputException.InFile(path, Field($"unsupported dtype '{dtypeName}' (expected one of {string.Join(", ", SafeTensors.TypesByName.Keys)})"));
        long[] shape = entry["shape"]?.AsArray().Select(d => d!.GetValue<long>()).ToArray()
                       ?? throw MilanInputException.InFile(path, Field("missing 'shape'"));
        var offsets = entry["data_offsets"]?.AsArray().Select(o => o!.GetValue<long>()).ToArray();
        if (offsets is not { Length: 2 } || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
            throw MilanInputException.InFile(path, Field("'data_offsets' missing or outside the data section"));
        long expectedBytes = shape.Aggregate(1L, (a, b) => a * b) * SafeTensors.ElementSize(dtype);
        if (offsets[1] - offsets[0] != expectedBytes)
            throw MilanInputException.InFile(path, Field($"holds {offsets[1] - offsets[0]} bytes, but shape [{string.Join(",", shape)}] of {dtypeName} needs {expectedBytes}"));
        return new Entry(dtype, shape, offsets[0], offsets[1]);
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    public long[] Shape(string name) => Get(name).Shape;

    /// <summary>One tensor on the CPU, in the file's element type (convert with <c>.to(...)</c>).</summary>
    public Tensor Read(string name)
    {
        var entry = Get(name);
        var tensor = empty(entry.Shape, entry.Type);
        if (entry.End == entry.Begin) return tensor;
        byte[] bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(_path))
        {
            stream.Position = _dataStart + entry.Begin;
            stream.ReadExactly(bytes);
        }
        tensor.bytes = bytes;
        return tensor;
    }

    private Entry Get(string name) =>
        _entries.TryGetValue(name, out var entry) ? entry : throw MilanInputException.InFile(_path, $"tensor '{name}' missing");
}
