using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// Writes a .npy array whose shape is known in advance, chunk by chunk along the first axis
/// (<see cref="Append"/>) or in pieces at any position (<see cref="WriteAt"/>), to a temporary file that
/// replaces the target only in <see cref="Complete"/>. Disposing without completing deletes the
/// temporary file, so a crash never leaves a truncated array.
/// </summary>
public sealed class NpyStreamWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly NpyType _type;
    private readonly long[] _shape;
    private readonly long _headerBytes;
    private long _written;              // items appended, or bytes written at positions
    private bool _positioned;
    private bool _done;

    public NpyStreamWriter(string path, NpyType type, params long[] shape)
    {
        _path = System.IO.Path.GetFullPath(path);
        _type = type;
        _shape = shape;
        string folder = System.IO.Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(folder);
        _temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
        _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        var header = NpyHeader.Encode(type, shape);
        _stream.Write(header);
        _headerBytes = header.Length;
    }

    private long DataBytes => _shape.Aggregate(1L, (a, b) => a * b) * NpyTypes.Size(_type);

    /// <summary>
    /// Writes <paramref name="bytes"/> at byte <paramref name="offset"/> of the array's data (C order), for
    /// arrays filled out of order; every byte must be written exactly once before <see cref="Complete"/>.
    /// </summary>
    public void WriteAt(long offset, ReadOnlySpan<byte> bytes)
    {
        if (_written > 0 && !_positioned) throw new InvalidOperationException($"{_path}: cannot mix appending and positioned writes");
        if (offset < 0 || offset + bytes.Length > DataBytes)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{_path}: bytes [{offset}, {offset + bytes.Length}) outside the array's {DataBytes}");
        _positioned = true;
        _stream.Position = _headerBytes + offset;
        _stream.Write(bytes);
        _written += bytes.Length;
    }

    /// <summary>Appends items along the first axis; the tensor's trailing shape and type must match.</summary>
    public void Append(Tensor items)
    {
        if (_positioned) throw new InvalidOperationException($"{_path}: cannot mix appending and positioned writes");
        if (items.dtype != NpyTypes.ToScalar(_type))
            throw new ArgumentException($"{_path}: appending {items.dtype} to an array of {_type}");
        if (!items.shape.Skip(1).SequenceEqual(_shape.Skip(1)))
            throw new ArgumentException($"{_path}: item shape [{string.Join(",", items.shape.Skip(1))}] differs from [{string.Join(",", _shape.Skip(1))}]");
        if (_written + items.shape[0] > _shape[0])
            throw new ArgumentException($"{_path}: more than {_shape[0]} items appended");
        using var cpu = items.detach().cpu().contiguous();
        if (cpu.numel() > 0) _stream.Write(cpu.bytes);
        _written += items.shape[0];
    }

    /// <summary>Checks that every item was written and moves the file into place.</summary>
    public void Complete()
    {
        if (_positioned ? _written != DataBytes : _written != _shape[0])
            throw new InvalidOperationException(_positioned
                ? $"{_path}: {_written} of {DataBytes} bytes written"
                : $"{_path}: {_written} of {_shape[0]} items written");
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _done = true;
    }

    public void Dispose()
    {
        if (_done) return;
        _stream.Dispose();
        try { File.Delete(_temporary); } catch (IOException) { }
    }
}
