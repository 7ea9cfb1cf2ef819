using System.Buffers.Binary;
using System.Text;

namespace Milan.Torch;

/// <summary>
/// A strict reader of the pickles inside torch.save archives (data.pkl), for checkpoints made of plain
/// containers and tensors, such as the reference MILAN's: protocol 2 (torch.save's default) plus the
/// protocol 3-4 opcodes for bytes, short strings, memoisation and framing. It runs no code: the only
/// classes and functions it accepts are those such files use, each rebuilt as data
/// (<see cref="PickledDict"/>, <see cref="PickledTuple"/>, lists, strings, numbers, byte arrays,
/// <see cref="StoredTensor"/>); any other name, opcode or malformed length is a
/// <see cref="MilanInputException"/> naming the file, the byte offset and what was found. Lengths are
/// checked against the bytes left before anything is allocated.
/// </summary>
public sealed class PickleReader
{
    private readonly byte[] _data;
    private readonly string _source;
    private readonly Func<PickledTuple, object> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;
    private int _opcodeStart;

    private PickleReader(byte[] data, string source, Func<PickledTuple, object> persistentLoad)
    {
        _data = data;
        _source = source;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickle. <paramref name="persistentLoad"/> resolves persistent ids (torch: storages).</summary>
    public static object? Read(byte[] data, string source, Func<PickledTuple, object> persistentLoad) =>
        new PickleReader(data, source, persistentLoad).Run();

    private MilanInputException Error(string problem) =>
        MilanInputException.InFile(_source, $"pickle byte {_opcodeStart}: {problem}");

    private object? Run()
    {
        while (true)
        {
            _opcodeStart = _position;
            byte opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    if (ReadByte() > 5) throw Error("pickle protocol above 5");
                    break;
                case 0x95: // FRAME (a length hint)
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0) throw Error($"STOP with {_stack.Count} values on the stack, expected 1");
                    if (_position != _data.Length) throw Error($"{_data.Length - _position} bytes after STOP");
                    return _stack[0];
                case (byte)'(': _marks.Add(_stack.Count); break;
                case (byte)'}': Push(new PickledDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(new PickledTuple([])); break;
                case (byte)'t': Push(new PickledTuple(PopMark())); break;
                case 0x85: Push(new PickledTuple([Pop()])); break;
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickledTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickledTuple([a, b, c])); break; }
                case (byte)'a': { var item = Pop(); ListOnTop().Add(item); break; }
                case (byte)'e': { var items = PopMark(); ListOnTop().AddRange(items); break; }
                case (byte)'s': { var value = Pop(); var key = Pop(); SetItem(key, value); break; }
                case (byte)'u':
                    {
                        var items = PopMark();
                        if (items.Count % 2 != 0) throw Error("SETITEMS with an odd number of values");
                        for (int i = 0; i < items.Count; i += 2) SetItem(items[i], items[i + 1]);
                        break;
                    }
                case (byte)'q': _memo[ReadByte()] = Peek(); break;                                  // BINPUT
                case (byte)'r': _memo[ReadUInt32()] = Peek(); break;                                // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                                      // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte())); break;                                     // BINGET
                case (byte)'j': Push(Recall(ReadUInt32())); break;                                   // LONG_BINGET
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break;                                       // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;// BININT2
                case 0x8a: Push(ReadLong1()); break;                                                 // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;         // BINFLOAT
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'X': Push(ReadString(ReadUInt32())); break;                               // BINUNICODE
                case 0x8c: Push(ReadString(ReadByte())); break;                                      // SHORT_BINUNICODE
                case 0x8d: Push(ReadString(ReadUInt64())); break;                                    // BINUNICODE8
                case (byte)'B': Push(Take(ReadUInt32()).ToArray()); break;                           // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break;                             // SHORT_BINBYTES
                case 0x8e: Push(Take(ReadUInt64()).ToArray()); break;                                // BINBYTES8
                case (byte)'c': Push(Global(ReadLine(), ReadLine())); break;                         // GLOBAL
                case 0x93: { var name = Pop(); var module = Pop(); Push(Global(AsString(module, "module"), AsString(name, "name"))); break; }
                case (byte)'R': { var arguments = Pop(); var callable = Pop(); Push(Reduce(callable, arguments)); break; }
                case 0x81: { var arguments = Pop(); var type = Pop(); Push(NewObject(type, arguments)); break; }
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; }
                case (byte)'Q': Push(_persistentLoad(Pop() as PickledTuple ?? throw Error("a persistent id that is not a tuple"))); break;
                default:
                    throw Error($"opcode 0x{opcode:x2} is not one that PyTorch checkpoints use");
            }
        }
    }

    // ---- the classes and functions a checkpoint may name ----

    private PickledGlobal Global(string module, string name)
    {
        bool allowed = (module, name) switch
        {
            ("collections", "OrderedDict") => true,
            ("torch._utils", "_rebuild_tensor_v2" or "_rebuild_parameter") => true,
            ("torch", _) when name.EndsWith("Storage", StringComparison.Ordinal) => true,
            ("_codecs", "encode") => true,
            ("__builtin__" or "builtins", "bytes") => true,
            ("thinc.config" or "confection", "Config") => true,
            _ => false,
        };
        if (!allowed) throw Error($"the pickle names {module}.{name}, which is not part of a checkpoint of tensors and plain containers");
        return new PickledGlobal(module, name);
    }

    private object Reduce(object? callable, object? arguments)
    {
        var args = arguments as PickledTuple ?? throw Error("REDUCE arguments are not a tuple");
        return callable switch
        {
            PickledGlobal { Module: "collections", Name: "OrderedDict" } when args.Count == 0 => new PickledDict("collections.OrderedDict"),
            PickledGlobal { Module: "torch._utils", Name: "_rebuild_tensor_v2" } => RebuildTensor(args),
            PickledGlobal { Module: "torch._utils", Name: "_rebuild_parameter" } when args.Count >= 1 && args.Items[0] is StoredTensor t => t,
            PickledGlobal { Module: "_codecs", Name: "encode" } when args.Count == 2 && args.Items[0] is string text
                && args.Items[1] is "latin1" or "latin-1" => Latin1(text),
            PickledGlobal { Name: "bytes" } when args.Count == 0 => Array.Empty<byte>(),
            _ => throw Error($"cannot call {callable} with {args.Count} arguments"),
        };
    }

    private PickledDict NewObject(object? type, object? arguments)
    {
        if (type is PickledGlobal { Name: "Config" } config && arguments is PickledTuple { Count: 0 })
            return new PickledDict(config.ToString());
        throw Error($"cannot create an object of {type}");
    }

    private void Build(object? target, object? state)
    {
        // An OrderedDict's state is its attributes (a state dict's _metadata); a Config's its two flags.
        if (target is PickledDict { ClassName: not null } && state is PickledDict) return;
        throw Error($"cannot set the state of {Describe(target)}");
    }

    private StoredTensor RebuildTensor(PickledTuple args)
    {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.Count is < 6 or > 7 || args.Items[0] is not StorageReference storage || args.Items[1] is not long offset
            || args.Items[2] is not PickledTuple size || args.Items[3] is not PickledTuple stride || size.Count != stride.Count)
            throw Error("_rebuild_tensor_v2 arguments are not (storage, offset, size, stride, requires_grad, hooks)");
        long[] Longs(PickledTuple t) => t.Items.Select(v => v is long l && l >= 0 ? l : throw Error("a tensor size or stride is not a non-negative integer")).ToArray();
        return new StoredTensor(storage, offset, Longs(size), Longs(stride));
    }

    private byte[] Latin1(string text)
    {
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
            bytes[i] = text[i] <= '\u00ff' ? (byte)text[i] : throw Error("latin-1 encoded bytes hold a character above U+00FF");
        return bytes;
    }

    // ---- the stack ----

    private void Push(object? value) => _stack.Add(value);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count)) throw Error("the stack is empty");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Error("the stack is empty");

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Error("no MARK before this opcode");
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private List<object?> ListOnTop() => Peek() as List<object?> ?? throw Error($"APPEND to {Describe(Peek())}, not a list");

    private void SetItem(object? key, object? value)
    {
        var dict = Peek() as PickledDict ?? throw Error($"SETITEM on {Describe(Peek())}, not a dict");
        if (key is not (string or long or bool or PickledTuple)) throw Error($"a dict key of type {Describe(key)}");
        dict.Set(key, value);
    }

    private object? Recall(long index) => _memo.TryGetValue(index, out var value) ? value : throw Error($"memo {index} was never stored");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickledDict d => d.ClassName ?? "dict",
        _ => value.GetType().Name,
    };

    private string AsString(object? value, string what) =>
        value as string ?? throw Error($"STACK_GLOBAL {what} is not a string");

    // ---- bytes ----

    private ReadOnlySpan<byte> Take(ulong count)
    {
        if (count > (ulong)(_data.Length - _position)) throw Error($"a length of {count} bytes runs past the end of the pickle ({_data.Length - _position} left)");
        var span = _data.AsSpan(_position, (int)count);
        _position += (int)count;
        return span;
    }

    private byte ReadByte() => Take(1)[0];

    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private long ReadLong1()
    {
        int length = ReadByte();
        if (length > 8) throw Error($"an integer of {length} bytes (at most 8 are supported)");
        var bytes = Take((ulong)length);
        long value = 0;
        for (int i = length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (length is > 0 and < 8 && (bytes[length - 1] & 0x80) != 0) value -= 1L << (8 * length);   // two's complement
        return value;
    }

    private string ReadString(ulong length)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
        }
        catch (DecoderFallbackException)
        {
            throw Error("a string that is not valid UTF-8");
        }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0 || end - _position > 256) throw Error("GLOBAL name not terminated by a newline");
        string line = Encoding.ASCII.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }
}
