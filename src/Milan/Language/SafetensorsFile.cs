using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Language;

/// <summary>
/// A minimal reader of the safetensors format (an 8-byte little-endian header length, a JSON header
/// mapping tensor names to dtype, shape and byte offsets, then the raw little-endian data), for the
/// RoBERTa encoder's weights. F32, F16 and BF16 tensors are read as float32.
/// </summary>
/// <remarks>Kept internal to Language/ because no shared safetensors reader existed when it was
/// written; it should be merged with one in Models/ when that exists.</remarks>
internal sealed class SafetensorsFile
{
    private readonly string path;
    private readonly long dataStart;
    private readonly Dictionary<string, Entry> entries;

    private sealed record Entry(string DataType, long[] Shape, long Begin, long End);

    private SafetensorsFile(string path, long dataStart, Dictionary<string, Entry> entries)
    {
        this.path = path;
        this.dataStart = dataStart;
        this.entries = entries;
    }

    /// <summary>Tensor names in the file.</summary>
    public IEnumerable<string> Names => entries.Keys;

    /// <summary>Reads the header of a safetensors file.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "safetensors file not found");
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.Read(lengthBytes, 0, 8) != 8) throw MilanInputException.InFile(path, "too short for a safetensors header");
        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > stream.Length - 8)
            throw MilanInputException.InFile(path, $"header length {headerLength} does not fit the file; expected a safetensors file");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(header);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var dtype = property.Value.GetProperty("dtype").GetString() ?? "";
                var shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || 8 + headerLength + offsets[1] > stream.Length)
                    throw MilanInputException.InFile(path, $"tensor '{property.Name}': data_offsets out of the file");
                entries[property.Name] = new Entry(dtype, shape, offsets[0], offsets[1]);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw MilanInputException.InFile(path, $"malformed safetensors header: {e.Message}");
        }
        return new SafetensorsFile(path, 8 + headerLength, entries);
    }

    public bool Contains(string name) => entries.ContainsKey(name);

    /// <summary>Reads one tensor as float32 on <paramref name="device"/>.</summary>
    public Tensor ReadFloat32(string name, Device device)
    {
        if (!entries.TryGetValue(name, out var entry)) throw MilanInputException.InFile(path, $"tensor '{name}' missing");
        var count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        var bytesPerValue = entry.DataType switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw MilanInputException.InFile(path, $"tensor '{name}': dtype {entry.DataType}; expected F32, F16 or BF16"),
        };
        if (entry.End - entry.Begin != count * bytesPerValue)
            throw MilanInputException.InFile(path, $"tensor '{name}': {entry.End - entry.Begin} bytes for shape [{string.Join(",", entry.Shape)}] of {entry.DataType}");
        var bytes = new byte[entry.End - entry.Begin];
        using (var stream = File.OpenRead(path))
        {
            stream.Seek(dataStart + entry.Begin, SeekOrigin.Begin);
            stream.ReadExactly(bytes);
        }
        var values = new float[count];
        switch (entry.DataType)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
                break;
            case "F16":
                var halves = MemoryMarshal.Cast<byte, Half>(bytes);
                for (var i = 0; i < values.Length; i++) values[i] = (float)halves[i];
                break;
            default: // BF16: the upper 16 bits of a float32
                var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (var i = 0; i < values.Length; i++) values[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                break;
        }
        return torch.tensor(values, entry.Shape, ScalarType.Float32, device);
    }

    /// <summary>The shape of a tensor.</summary>
    public long[] Shape(string name) =>
        entries.TryGetValue(name, out var entry) ? entry.Shape : throw MilanInputException.InFile(path, $"tensor '{name}' missing");
}
