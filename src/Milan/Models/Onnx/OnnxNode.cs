using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// One node of an ONNX graph while the network is being built: its attributes with their defaults,
/// its inputs split into constants (initializers and Constant outputs, known at import) and values
/// computed by the graph, and errors that name the file, the node and what was expected.
/// </summary>
internal sealed class OnnxNode
{
    private readonly IReadOnlyDictionary<string, Tensor> _constants;

    public OnnxNode(NodeProto proto, int index, long opset, IReadOnlyDictionary<string, Tensor> constants, string path)
    {
        Proto = proto;
        Index = index;
        Opset = opset;
        Path = path;
        _constants = constants;
        foreach (var group in proto.Attribute.GroupBy(a => a.Name).Where(g => g.Count() > 1))
            throw Error($"attribute '{group.Key}' appears {group.Count()} times");
    }

    public NodeProto Proto { get; }

    /// <summary>Position in the graph's node list.</summary>
    public int Index { get; }

    /// <summary>The model's default-domain operator set, which decides attribute-or-input forms (Pad, Reshape, Split, Clip).</summary>
    public long Opset { get; }

    public string Path { get; }

    public string OpType => Proto.OpType;

    /// <summary>The node's name in the file, or "#index" when it has none.</summary>
    public string Label => string.IsNullOrEmpty(Proto.Name) ? $"#{Index}" : Proto.Name;

    public MilanInputException Error(string problem) =>
        MilanInputException.InFile(Path, $"node '{Label}' ({OpType}): {problem}");

    /// <summary>Whether input <paramref name="i"/> is given (ONNX leaves optional inputs out or names them "").</summary>
    public bool HasInput(int i) => i < Proto.Input.Count && Proto.Input[i].Length > 0;

    public bool IsConstant(int i) => HasInput(i) && _constants.ContainsKey(Proto.Input[i]);

    /// <summary>The constant at input <paramref name="i"/>; an error naming <paramref name="role"/> when it is missing or computed.</summary>
    public Tensor Constant(int i, string role)
    {
        if (!HasInput(i)) throw Error($"input {i} ({role}) is missing");
        return _constants.TryGetValue(Proto.Input[i], out var value)
            ? value
            : throw Error($"input {i} ({role}) '{Proto.Input[i]}' is computed by the graph; the importer needs it as an initializer or constant");
    }

    /// <summary>The constant at input <paramref name="i"/> as integers (shapes, pads, split sizes).</summary>
    public long[] ConstantInts(int i, string role)
    {
        var value = Constant(i, role);
        if (value.dtype is not (ScalarType.Int64 or ScalarType.Int32) || value.dim() > 1)
            throw Error($"input {i} ({role}) must be a 1-D integer tensor, not {value.dtype} of rank {value.dim()}");
        return value.to(ScalarType.Int64).data<long>().ToArray();
    }

    /// <summary>The names of the inputs computed by the graph, in order.</summary>
    public IReadOnlyList<string> ComputedInputs() =>
        Enumerable.Range(0, Proto.Input.Count).Where(i => HasInput(i) && !IsConstant(i)).Select(i => Proto.Input[i]).ToList();

    public long Int(string name, long fallback) => Find(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Find(name, AttributeProto.Types.AttributeType.Float) is { } a ? a.F : fallback;

    public string String(string name, string fallback) =>
        Find(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => Find(name, AttributeProto.Types.AttributeType.Ints) is { } a ? a.Ints.ToArray() : null;

    public bool HasAttribute(string name) => Proto.Attribute.Any(a => a.Name == name);

    /// <summary>A tensor-valued attribute (Constant's value).</summary>
    public Tensor? TensorAttribute(string name) =>
        Find(name, AttributeProto.Types.AttributeType.Tensor) is { } a ? OnnxTensors.ToTensor(a.T, Path) : null;

    /// <summary>Refuses attributes outside <paramref name="known"/>, so a setting the importer would ignore cannot change the result unnoticed.</summary>
    public void OnlyAttributes(params string[] known)
    {
        var unknown = Proto.Attribute.Select(a => a.Name).Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw Error($"attribute(s) {string.Join(", ", unknown)} not supported (known: {(known.Length == 0 ? "none" : string.Join(", ", known))})");
    }

    private AttributeProto? Find(string name, AttributeProto.Types.AttributeType expected)
    {
        var attribute = Proto.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null) return null;
        var type = attribute.HasType ? attribute.Type : Infer(attribute);
        if (type != expected) throw Error($"attribute '{name}' is {type}; expected {expected}");
        return attribute;
    }

    /// <summary>Old files may leave the type out; it is then the kind of value that is present.</summary>
    private static AttributeProto.Types.AttributeType Infer(AttributeProto a) =>
        a.Ints.Count > 0 ? AttributeProto.Types.AttributeType.Ints
        : a.Floats.Count > 0 ? AttributeProto.Types.AttributeType.Floats
        : a.Strings.Count > 0 ? AttributeProto.Types.AttributeType.Strings
        : a.T is not null ? AttributeProto.Types.AttributeType.Tensor
        : a.HasS ? AttributeProto.Types.AttributeType.String
        : a.HasF ? AttributeProto.Types.AttributeType.Float
        : a.HasI ? AttributeProto.Types.AttributeType.Int
        : AttributeProto.Types.AttributeType.Undefined;
}
