using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;
using Milan.IO;

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
        using var stream = InputFile.OpenRead(path);
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
                if (node is not JsonObject map) throw MilanInputException.InFile(path, $"'{SafeTensors.MetadataKey}' is not an object of strings");
                foreach (var (key, value) in map)
                    metadata[key] = value is JsonValue v && v.TryGetValue(out string? text) ? text
                        : throw MilanInputException.InFile(path, $"'{SafeTensors.MetadataKey}.{key}' is not a string");
                continue;
            }
            entries[name] = ParseEntry(path, dataLength, name, node);
        }
        // The format lays tensors end to end; overlapping ranges would make two tensors share bytes.
        var ordered = entries.OrderBy(e => e.Value.Begin).ThenBy(e => e.Value.End).ToList();
        for (int i = 1; i < ordered.Count; i++)
            if (ordered[i].Value.Begin < ordered[i - 1].Value.End)
                throw MilanInputException.InFile(path, $"tensors '{ordered[i - 1].Key}' and '{ordered[i].Key}' overlap in the data section");
        return new SafeTensorsFile(path, dataStart, entries, metadata);
    }

    private static Entry ParseEntry(string path, long dataLength, string name, JsonNode? node)
    {
        string Field(string what) => $"tensor '{name}': {what}";
        if (node is not JsonObject entry) throw MilanInputException.InFile(path, Field("entry is not an object"));
        string? dtypeName = entry["dtype"] is JsonValue d && d.TryGetValue(out string? text) ? text : null;
        if (dtypeName is null || !SafeTensors.TypesByName.TryGetValue(dtypeName, out var dtype))
            throw MilanInputException.InFile(path, Field($"unsupported dtype '{entry["dtype"]?.ToJsonString()}' (expected one of {string.Join(", ", SafeTensors.TypesByName.Keys)})"));
        long[] shape = Integers(entry["shape"])
                       ?? throw MilanInputException.InFile(path, Field($"'shape' is {entry["shape"]?.ToJsonString() ?? "missing"}, expected a list of non-negative integers"));
        var offsets = Integers(entry["data_offsets"]);
        if (offsets is not { Length: 2 } || offsets[1] < offsets[0] || offsets[1] > dataLength)
            throw MilanInputException.InFile(path, Field($"'data_offsets' {entry["data_offsets"]?.ToJsonString() ?? "missing"}: expected [begin, end] inside the data section of {dataLength} bytes"));
        long expectedBytes;
        try
        {
            expectedBytes = checked(shape.Aggregate(1L, (a, b) => a * b) * SafeTensors.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw MilanInputException.InFile(path, Field($"shape [{string.Join(",", shape)}] declares more bytes than any file can hold"));
        }
        if (offsets[1] - offsets[0] != expectedBytes)
            throw MilanInputException.InFile(path, Field($"holds {offsets[1] - offsets[0]} bytes, but shape [{string.Join(",", shape)}] of {dtypeName} needs {expectedBytes}"));
        return new Entry(dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>A JSON list of non-negative integers, or null when the node is anything else.</summary>
    private static long[]? Integers(JsonNode? node)
    {
        if (node is not JsonArray array) return null;
        var values = new long[array.Count];
        for (int i = 0; i < values.Length; i++)
            if (array[i] is not JsonValue v || !v.TryGetValue(out values[i]) || values[i] < 0) return null;
        return values;
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
        using (var stream = InputFile.OpenRead(_path))
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
