using System.Runtime.InteropServices;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// Whole-file .npy reading and writing (C order, little-endian). For arrays too large to hold in
/// memory use <see cref="NpyMappedArray"/> to read and <see cref="NpyStreamWriter"/> to write.
/// </summary>
public static class Npy
{
    public static NpyHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return NpyHeader.Read(path, stream);
    }

    /// <summary>Reads the whole array as a CPU tensor of the file's element type.</summary>
    public static Tensor ReadTensor(string path)
    {
        using var stream = OpenRead(path);
        var header = NpyHeader.Read(path, stream);
        var tensor = empty(header.Shape, NpyTypes.ToScalar(header.Type));
        if (header.DataLength > 0)
        {
            var bytes = new byte[header.DataLength];
            stream.ReadExactly(bytes);
            tensor.bytes = bytes;
        }
        return tensor;
    }

    /// <summary>Reads the whole array into a flat array of <typeparamref name="T"/>, which must match the file's type.</summary>
    public static T[] ReadArray<T>(string path, out long[] shape) where T : unmanaged
    {
        using var stream = OpenRead(path);
        var header = NpyHeader.Read(path, stream);
        var expected = NpyTypes.FromClr<T>();
        if (header.Type != expected)
            throw MilanInputException.InFile(path, $"holds {NpyTypes.Descr(header.Type)} values, expected {NpyTypes.Descr(expected)}");
        var values = new T[header.ElementCount];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        shape = header.Shape;
        return values;
    }

    /// <summary>Reads an integer array (int32 or int64 in the file) as longs, e.g. units.npy.</summary>
    public static long[] ReadInt64(string path, out long[] shape)
    {
        var header = ReadHeader(path);
        return header.Type switch
        {
            NpyType.Int64 => ReadArray<long>(path, out shape),
            NpyType.Int32 => ReadArray<int>(path, out shape).Select(v => (long)v).ToArray(),
            _ => throw MilanInputException.InFile(path, $"holds {NpyTypes.Descr(header.Type)} values, expected integers (<i8 or <i4)"),
        };
    }

    /// <summary>Writes a tensor (any device; copied to the CPU) atomically.</summary>
    public static void Write(string path, Tensor tensor)
    {
        var type = NpyTypes.FromScalar(tensor.dtype);
        using var cpu = tensor.detach().cpu().contiguous();
        byte[] header = NpyHeader.Encode(type, cpu.shape);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            if (cpu.numel() > 0) stream.Write(cpu.bytes);
        });
    }

    /// <summary>Writes a flat array with the given shape atomically.</summary>
    public static void Write<T>(string path, ReadOnlySpan<T> values, params long[] shape) where T : unmanaged
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values, got {values.Length}");
        byte[] header = NpyHeader.Encode(NpyTypes.FromClr<T>(), shape);
        byte[] data = MemoryMarshal.AsBytes(values).ToArray();
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            stream.Write(data);
        });
    }

    private static FileStream OpenRead(string path) => InputFile.OpenRead(path);
}
