namespace Milan.World;

/// <summary>
/// The concepts of the bundled world, shared by every dataset and variant so that masks, exemplars
/// and annotations of different worlds speak the same language. Ids are assigned in the order below
/// (1-based) and are written to each world's manifest; changing the order changes the ids.
/// </summary>
public sealed class ConceptVocabulary
{
    public static readonly IReadOnlyList<string> Categories =
        ["circle", "square", "triangle", "star", "heart", "ring", "house", "tree", "car", "fish", "flower", "face", "boat", "sun", "cloud", "plant",
         "balloon", "bird", "butterfly", "cat", "moon", "umbrella", "kite", "mountain", "bus", "fence", "apple", "crab", "airplane"];

    public static readonly IReadOnlyList<string> Parts =
        ["eyes", "mouth", "hair", "roof", "door", "window", "trunk", "treetop", "wheels", "tail", "petals", "stem", "sail", "hull",
         "string", "beak", "wings", "ears", "canopy", "handle", "snow", "leaf", "claws"];

    public static readonly IReadOnlyList<string> Textures =
        ["plain", "stripes", "dots", "checkerboard", "grass", "water", "sky", "bricks", "grid", "sand", "wood", "zigzag"];

    public const string TextName = "text";

    /// <summary>The object each part belongs to.</summary>
    public static readonly IReadOnlyDictionary<string, string> WholeOf = new Dictionary<string, string>
    {
        ["eyes"] = "face", ["mouth"] = "face", ["hair"] = "face", ["roof"] = "house", ["door"] = "house", ["window"] = "house",
        ["trunk"] = "tree", ["treetop"] = "tree", ["wheels"] = "car", ["tail"] = "fish", ["petals"] = "flower", ["stem"] = "flower",
        ["sail"] = "boat", ["hull"] = "boat", ["string"] = "balloon", ["beak"] = "bird", ["wings"] = "bird", ["ears"] = "cat",
        ["canopy"] = "umbrella", ["handle"] = "umbrella", ["snow"] = "mountain", ["leaf"] = "apple", ["claws"] = "crab",
    };

    /// <summary>
    /// Superordinate kinds: what people call things of different basic-level categories together
    /// (fish in some exemplars, birds and cats in others: "animals"). People name objects at the
    /// basic level ("fish") and go up to the superordinate ("animals") when the instances they must
    /// name at once differ at the basic level (Rosch et al. 1976, "Basic objects in natural
    /// categories"). A concept may belong to more than one kind; kinds are not concepts (no masks).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Superordinates = new Dictionary<string, IReadOnlyList<string>>
    {
        ["animal"] = ["fish", "bird", "butterfly", "cat", "crab"],
        ["vehicle"] = ["car", "boat", "bus", "airplane"],
        ["shape"] = ["circle", "square", "triangle", "star", "heart", "ring"],
        ["vegetation"] = ["tree", "flower", "plant"],
        ["sky object"] = ["sun", "cloud", "moon"],
        ["flying thing"] = ["bird", "butterfly", "kite", "balloon", "airplane"],
        ["building"] = ["house", "fence"],
        ["pattern"] = ["stripes", "dots", "checkerboard", "zigzag", "grid", "bricks"],
        ["scenery"] = ["grass", "water", "sky", "sand", "mountain"],
    };

    /// <summary>Image regions of a 3x3 grid, row by row.</summary>
    public static readonly IReadOnlyList<string> Positions =
        ["top left", "top", "top right", "left", "center", "right", "bottom left", "bottom", "bottom right"];

    public static readonly IReadOnlyList<string> Relations = ["above", "below", "left of", "right of", "inside", "next to"];

    public static ConceptVocabulary Default { get; } = new();

    private readonly Dictionary<string, Concept> _byName;

    public IReadOnlyList<Concept> All { get; }

    private ConceptVocabulary()
    {
        var all = new List<Concept>();
        void Add(IEnumerable<string> names, ConceptKind kind)
        {
            foreach (var name in names) all.Add(new Concept(all.Count + 1, name, kind));
        }
        Add(Categories, ConceptKind.Category);
        Add(Parts, ConceptKind.Part);
        Add(WorldColours.All.Select(c => c.Name), ConceptKind.Colour);
        Add(Textures, ConceptKind.Texture);
        Add([TextName], ConceptKind.Text);
        Add(Positions, ConceptKind.Position);
        Add(Relations, ConceptKind.Relation);
        All = all;
        _byName = all.ToDictionary(c => c.Name);
        if (all.Count > 254) throw new InvalidOperationException("concept ids must fit in a byte");
    }

    public int Count => All.Count;

    /// <summary>The concept with this id (1-based).</summary>
    public Concept this[int id] => id >= 1 && id <= All.Count ? All[id - 1] : throw new ArgumentOutOfRangeException(nameof(id), $"no concept with id {id}");

    public Concept Named(string name) =>
        _byName.TryGetValue(name, out var concept) ? concept : throw new ArgumentException($"no concept named '{name}'", nameof(name));

    public byte Id(string name) => (byte)Named(name).Id;

    public IEnumerable<Concept> OfKind(ConceptKind kind) => All.Where(c => c.Kind == kind);
}
