namespace Milan.World;

/// <summary>How a class arranges its first slot: free placement, a vertical stack, a horizontal row,
/// a small object inside a container, or a landscape (sky band above a ground band).</summary>
public enum SceneLayout
{
    Scatter,
    Stack,
    Row,
    Nest,
    Landscape,
}

/// <summary>A background texture in one of several colours, chosen with a relative weight.</summary>
public sealed record BackgroundChoice(string Texture, IReadOnlyList<string> Colours, double Weight = 1);

/// <summary>
/// Objects a class places: a count in [Min, Max] (the slot is skipped with probability 1 - Chance),
/// each of a category and colour drawn uniformly from the lists, an optional accent colour (roof,
/// sail), a size range relative to the image side, and a zone: "any", "top" (the sky), "ground"
/// (standing on the ground), "bottom" (anchored to the bottom edge), "horizon" (floating on the
/// water line) or "water" (below the horizon).
/// </summary>
public sealed record ObjectSlot(
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Colours,
    int Min = 1,
    int Max = 1,
    double Chance = 1,
    string Zone = "any",
    double SizeMin = 0.24,
    double SizeMax = 0.34,
    IReadOnlyList<string>? Accents = null,
    double PatternChance = 0);

/// <summary>
/// A scene class: a distribution over backgrounds, objects, colours and arrangements. Faces are not
/// a class: each class adds one with <see cref="FaceChance"/> (a second one with half that, and so on),
/// the way people appear in photographs of every kind. <see cref="TextChance"/> adds a word.
/// </summary>
public sealed record SceneClass(
    string Name,
    string Summary,
    SceneLayout Layout,
    IReadOnlyList<BackgroundChoice> Backgrounds,
    IReadOnlyList<ObjectSlot> Slots,
    double FaceChance,
    double TextChance = 0.05,
    IReadOnlyList<string>? Words = null,
    IReadOnlyList<BackgroundChoice>? Ground = null);

/// <summary>
/// One dataset of the world (the analogue of ImageNet or Places365): its classes, a pool of common
/// backgrounds that any non-landscape class uses with <see cref="CommonBackgroundChance"/> (so that
/// background colour alone does not give the class away), and a distractor slot added with
/// <see cref="DistractorChance"/> (so that object categories overlap between classes).
/// </summary>
public sealed record WorldDataset(
    string Name,
    string Summary,
    IReadOnlyList<SceneClass> Classes,
    IReadOnlyList<BackgroundChoice> CommonBackgrounds,
    double CommonBackgroundChance,
    ObjectSlot Distractor,
    double DistractorChance,
    IReadOnlyList<string> Words,
    IReadOnlyList<string> HairColours)
{
    public IReadOnlyList<string> ClassNames => Classes.Select(c => c.Name).ToArray();
}
