namespace Milan.World;

/// <summary>
/// How one simulated person annotates (docs/world.md, "Annotators"). <see cref="Attention"/>: how many
/// of the exemplars they look at. <see cref="Detail"/>: how likely they add an attribute or a second
/// thing, and name a part rather than the whole. <see cref="Relational"/>: how likely they mention a
/// relation to another object. <see cref="Positional"/>: how likely they say where the highlighted
/// regions are when they are always in the same place.
/// </summary>
public sealed record AnnotatorTraits(int Attention, double Detail, double Relational, double Positional)
{
    public static AnnotatorTraits Of(AnnotatorStyle style) => style switch
    {
        AnnotatorStyle.Terse => new(Attention: 10, Detail: 0.2, Relational: 0.1, Positional: 0.2),
        AnnotatorStyle.Verbose => new(Attention: 15, Detail: 0.75, Relational: 0.25, Positional: 0.35),
        AnnotatorStyle.Relational => new(Attention: 12, Detail: 0.45, Relational: 0.7, Positional: 0.7),
        _ => throw new ArgumentOutOfRangeException(nameof(style)),
    };
}
