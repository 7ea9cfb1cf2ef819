namespace Milan.World;

/// <summary>
/// Which label-map layers a drawn primitive sets, and to what: -1 leaves a layer as it is. A face's
/// eyes set the part and colour but keep the face's category and instance, which the face set.
/// </summary>
internal readonly struct LabelWrite
{
    private readonly short[] _values;

    private LabelWrite(short[] values) => _values = values;

    public static LabelWrite None => new(Enumerable.Repeat((short)-1, ConceptLayer.Count).ToArray());

    public short this[int layer] => _values[layer];

    public bool IsEmpty => _values.All(v => v < 0);

    public LabelWrite Set(int layer, int value)
    {
        var copy = (short[])_values.Clone();
        copy[layer] = (short)value;
        return new LabelWrite(copy);
    }
}
