using System.IO.MemoryMappedFiles;
using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// A .npy file opened lazily: the header is validated up front and items along the first axis are
/// read on demand through a memory map, so a (units, 15, 3, 224, 224) image array of several GB is
/// never loaded whole.
/// </summary>
public sealed class NpyMappedArray : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;

    public string Path { get; }
    public NpyHeader Header { get; }

    /// <summary>Number of items along the first axis.</summary>
    public long Count => Header.Shape.Length == 0 ? 1 : Header.Shape[0];

    /// <summary>Shape of one item (the shape without its first axis).</summary>
    public long[] ItemShape => Header.Shape.Length == 0 ? [] : Header.Shape[1..];

    private long ItemBytes => ItemShape.Aggregate(1L, (a, b) => a * b) * NpyTypes.Size(Header.Type);

    public NpyMappedArray(string path)
    {
        Path = path;
        Header = Npy.ReadHeader(path);
        if (Header.DataLength == 0) return;
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(Header.DataOffset, Header.DataLength, MemoryMappedFileAccess.Read);
    }

    /// <summary>Items [start, start+count) as one CPU tensor of shape (count, ...item shape).</summary>
    public Tensor Read(long start, long count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Path}: items [{start}, {start + count}) outside 0..{Count}");
        var tensor = empty([count, .. ItemShape], NpyTypes.ToScalar(Header.Type));
        long length = count * ItemBytes;
        if (length == 0) return tensor;
        var bytes = new byte[length];
        _view!.ReadArray(start * ItemBytes, bytes, 0, checked((int)length));
        tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>One item as a CPU tensor of the item shape.</summary>
    public Tensor Read(long index)
    {
        using var batch = Read(index, 1);
        return batch.squeeze(0);
    }

    public void Dispose()
    {
        _view?.Dispose();
        _map?.Dispose();
    }
}
