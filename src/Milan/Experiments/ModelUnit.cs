namespace Milan.Experiments;

/// <summary>A unit of a subject model, named as in exemplar folders and descriptions: layer name (conv1, layer3, ...) and channel.</summary>
public readonly record struct ModelUnit(string Layer, int Unit)
{
    public override string ToString() => $"{Layer}-{Unit}";
}
