namespace Milan.World;

/// <summary>
/// The uint8 label-map layers stored per image in concepts.npy (N, Count, S, S). Every layer but
/// <see cref="Instance"/> holds concept ids (0 = none); <see cref="Instance"/> holds the 1-based
/// index of the visible object in the scene record (0 = background), from which relation masks and
/// per-object attributes are derived. Position concepts need no layer: they are fixed image regions.
/// </summary>
public static class ConceptLayer
{
    public const int Category = 0;
    public const int Part = 1;
    public const int Colour = 2;
    public const int Texture = 3;
    public const int Text = 4;
    public const int Instance = 5;
    public const int Count = 6;

    public static readonly IReadOnlyList<string> Names = ["category", "part", "colour", "texture", "text", "instance"];

    /// <summary>The layer that holds concepts of <paramref name="kind"/>, or -1 for derived kinds.</summary>
    public static int Of(ConceptKind kind) => kind switch
    {
        ConceptKind.Category => Category,
        ConceptKind.Part => Part,
        ConceptKind.Colour => Colour,
        ConceptKind.Texture => Texture,
        ConceptKind.Text => Text,
        _ => -1,
    };
}
