using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// A pickled dictionary (a plain dict, a collections.OrderedDict or a dict subclass such as thinc's
/// Config) with its keys in insertion order, as <see cref="PickleReader"/> rebuilds it.
/// </summary>
public sealed class PickledDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    /// <param name="className">"module.name" of a dict subclass; null for a plain dict.</param>
    public PickledDict(string? className = null) => ClassName = className;

    /// <summary>"module.name" of the pickled class (e.g. "collections.OrderedDict"); null for a plain dict.</summary>
    public string? ClassName { get; }

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    public int Count => _items.Count;

    public IEnumerable<string> StringKeys => _items.Select(i => i.Key).OfType<string>();

    /// <summary>Sets a key as Python does: a new key goes last, an existing one keeps its place.</summary>
    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out int at)) _items[at] = new(key, value);
        else
        {
            _index[key] = _items.Count;
            _items.Add(new(key, value));
        }
    }

    public bool TryGet(string key, out object? value)
    {
        if (_index.TryGetValue(key, out int at))
        {
            value = _items[at].Value;
            return true;
        }
        value = null;
        return false;
    }
}

/// <summary>A pickled tuple.</summary>
public sealed record PickledTuple(IReadOnlyList<object?> Items)
{
    public int Count => Items.Count;
}

/// <summary>A class or function named by the pickle (GLOBAL), e.g. torch.FloatStorage in a storage reference.</summary>
public sealed record PickledGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>One storage of a torch.save archive: its record key, element type and element count.</summary>
public sealed record StorageReference(string Key, ScalarType Type, long Count, string Location);

/// <summary>
/// A tensor as torch.save pickles it (torch._utils._rebuild_tensor_v2): a view of a storage with an
/// element offset, a shape and strides. <see cref="TorchSaveFile.Materialize"/> reads it.
/// </summary>
public sealed record StoredTensor(StorageReference Storage, long Offset, long[] Shape, long[] Stride);
