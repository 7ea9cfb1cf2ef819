namespace Milan.World;

/// <summary>What a concept of the world is about; each kind with a label map lives in its own layer.</summary>
public enum ConceptKind
{
    Category,
    Part,
    Colour,
    Texture,
    Text,
    Position,
    Relation,
}

/// <summary>
/// One concept of the world's vocabulary. Ids start at 1 (0 means "nothing" in the label maps) and
/// are the values stored in the label-map layers, so a concept's mask is one comparison.
/// </summary>
public sealed record Concept(int Id, string Name, ConceptKind Kind);
