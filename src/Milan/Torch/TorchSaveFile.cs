using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// A file written by PyTorch's <c>torch.save</c> (the zip format of PyTorch 1.6 and later, e.g. a
/// state dict or a reference MILAN checkpoint): the pickled object graph (<see cref="Root"/>, read by
/// <see cref="PickleReader"/>, tensors left as <see cref="StoredTensor"/> references) and the
/// storages, read on demand by <see cref="Materialize"/>. Storages shared between tensors (e.g. an
/// LSTM's weights flattened by cuDNN) are read once. Nothing is executed; a file of another kind is a
/// <see cref="MilanInputException"/> that says what it is.
/// </summary>
public sealed class TorchSaveFile : IDisposable
{
    /// <summary>The largest data.pkl read (the reference MILAN's, with two spaCy pipelines inside, is tens of MB).</summary>
    public const long MaxPickleBytes = 1L << 30;

    private static readonly Dictionary<string, ScalarType> StorageTypes = new()
    {
        ["DoubleStorage"] = ScalarType.Float64, ["FloatStorage"] = ScalarType.Float32, ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16, ["LongStorage"] = ScalarType.Int64, ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16, ["CharStorage"] = ScalarType.Int8, ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
    };

    private readonly ZipArchive _zip;
    private readonly string _prefix;
    private readonly Dictionary<string, byte[]> _storages = [];

    public string Path { get; }

    /// <summary>The unpickled object (for a state dict: a <see cref="PickledDict"/> of <see cref="StoredTensor"/>s).</summary>
    public object? Root { get; }

    private TorchSaveFile(string path, ZipArchive zip, string prefix)
    {
        Path = path;
        _zip = zip;
        _prefix = prefix;
        var pickle = _zip.GetEntry(prefix + "data.pkl")!;
        if (pickle.Length > MaxPickleBytes)
            throw MilanInputException.InFile(path, $"data.pkl is {pickle.Length} bytes, more than the {MaxPickleBytes} a checkpoint of tensors and settings needs");
        Root = PickleReader.Read(ReadEntry(pickle), path + " (data.pkl)", Storage);
    }

    /// <summary>Whether a file starts like a torch.save zip archive (the check <see cref="Open"/> makes first).</summary>
    public static bool LooksLikeArchive(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual("PK\u0003\u0004"u8);
    }

    public static TorchSaveFile Open(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "file not found");
        if (!LooksLikeArchive(path))
        {
            Span<byte> head = stackalloc byte[2];
            using (var stream = File.OpenRead(path)) stream.ReadAtLeast(head, 2, throwOnEndOfStream: false);
            throw MilanInputException.InFile(path, head[0] == 0x80 && head[1] == 0x02
                ? "a PyTorch file in the legacy format of PyTorch before 1.6, which is not read here; re-save it with a newer PyTorch "
                  + "(python -c \"import torch; torch.save(torch.load('IN'), 'OUT')\")"
                : "not a PyTorch checkpoint (torch.save writes a zip archive starting with PK)");
        }
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw MilanInputException.InFile(path, $"not a readable zip archive ({e.Message})");
        }
        try
        {
            var pickles = zip.Entries.Where(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)
                && e.FullName.Count(c => c == '/') == 1).ToList();
            if (pickles.Count != 1)
                throw MilanInputException.InFile(path, $"a torch.save archive holds one <name>/data.pkl; this zip holds {pickles.Count}");
            string prefix = pickles[0].FullName[..^"data.pkl".Length];
            if (zip.GetEntry(prefix + "byteorder") is { } order && ReadText(order).Trim() != "little")
                throw MilanInputException.InFile(path, "tensors saved in big-endian byte order are not read here");
            return new TorchSaveFile(path, zip, prefix);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>A new CPU tensor (contiguous, owned by the caller) with the values of <paramref name="stored"/>.</summary>
    public Tensor Materialize(StoredTensor stored)
    {
        var storage = stored.Storage;
        byte[] bytes = StorageBytes(storage);
        long extent = stored.Shape.Any(s => s == 0) ? 0 : 1 + stored.Shape.Zip(stored.Stride, (size, stride) => (size - 1) * stride).Sum();
        if (stored.Offset < 0 || stored.Offset + extent > storage.Count)
            throw MilanInputException.InFile(Path, $"a tensor of shape [{string.Join(",", stored.Shape)}] at offset {stored.Offset} reaches past its storage {storage.Key} of {storage.Count} elements");
        using var scope = NewDisposeScope();
        var flat = empty(storage.Count, storage.Type);
        if (storage.Count > 0) flat.bytes = bytes;
        return flat.as_strided(stored.Shape, stored.Stride, stored.Offset).clone().MoveToOuterDisposeScope();
    }

    /// <summary>New CPU tensors for a pickled dictionary of named tensors (a state dict); anything else in it is an error naming the entry.</summary>
    public Dictionary<string, Tensor> Tensors(PickledDict dict)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (key, value) in dict.Items)
            {
                if (key is not string name || value is not StoredTensor stored)
                    throw MilanInputException.InFile(Path, $"state dict entry '{key}' is not a named tensor");
                tensors[name] = Materialize(stored);
            }
            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
            throw;
        }
    }

    private object Storage(PickledTuple id)
    {
        // torch.save's persistent id of a storage: ('storage', torch.<Type>Storage, key, location, element count)
        if (id.Count != 5 || id.Items[0] is not "storage" || id.Items[1] is not PickledGlobal type || id.Items[2] is not string key
            || id.Items[3] is not string location || id.Items[4] is not long count || count < 0)
            throw MilanInputException.InFile(Path, "a persistent id that is not ('storage', type, key, location, count)");
        if (!StorageTypes.TryGetValue(type.Name, out var scalar))
            throw MilanInputException.InFile(Path, $"storage type {type} is not read here (expected one of {string.Join(", ", StorageTypes.Keys)})");
        if (_zip.GetEntry(_prefix + "data/" + key) is not { } entry)
            throw MilanInputException.InFile(Path, $"storage record data/{key} is missing");
        long expected = count * ElementSize(scalar);
        if (entry.Length != expected)
            throw MilanInputException.InFile(Path, $"storage record data/{key} has {entry.Length} bytes; {count} {type.Name} elements need {expected}");
        return new StorageReference(key, scalar, count, location);
    }

    private byte[] StorageBytes(StorageReference storage)
    {
        if (!_storages.TryGetValue(storage.Key, out var bytes))
            _storages[storage.Key] = bytes = ReadEntry(_zip.GetEntry(_prefix + "data/" + storage.Key)!);
        return bytes;
    }

    private static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private byte[] ReadEntry(ZipArchiveEntry entry)
    {
        // torch.save stores every record uncompressed, so no record can claim more bytes than the file has.
        if (entry.CompressedLength != entry.Length || entry.Length > Array.MaxLength)
            throw MilanInputException.InFile(Path, $"record {entry.FullName} is compressed or too large ({entry.Length} bytes); torch.save stores records uncompressed");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw MilanInputException.InFile(Path, $"record {entry.FullName} is damaged ({e.Message})");
        }
        return bytes;
    }

    private static string ReadText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        _storages.Clear();
        _zip.Dispose();
    }
}
