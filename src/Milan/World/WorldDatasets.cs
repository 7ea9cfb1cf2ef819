namespace Milan.World;

/// <summary>
/// The two datasets of the bundled world. World "a" (objects: toys, animals, vehicles on patterned
/// backgrounds, bright colours; the analogue of ImageNet) and world "b" (places: landscapes, streets
/// and interiors in natural colours; the analogue of Places365) share the concept vocabulary but
/// use it with different frequencies and palettes, so generalisation across datasets can be measured.
/// Classes overlap on purpose: tower, row and nest differ only by the arrangement of the same shapes;
/// toys and love differ by category frequencies and colour; tank and harbor share water.
/// </summary>
public static class WorldDatasets
{
    public static IReadOnlyList<string> Names => ["a", "b"];

    public static WorldDataset Named(string name) => name switch
    {
        "a" => A,
        "b" => B,
        _ => throw new MilanInputException($"--dataset {name}: expected a or b"),
    };

    private static readonly string[] Shapes = ["circle", "square", "triangle", "star", "heart", "ring"];
    private static readonly string[] Bright = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black"];
    private static readonly string[] Pastel = ["white", "beige", "light blue", "gray", "pink", "yellow", "green", "blue", "purple", "orange"];
    private static readonly string[] Roofs = ["red", "brown", "gray", "dark brown"];
    private static readonly string[] Sails = ["white", "red", "yellow"];
    private static readonly string[] Hair = ["black", "dark brown", "brown", "yellow", "orange", "gray"];

    private static BackgroundChoice Bg(string texture, double weight, params string[] colours) => new(texture, colours, weight);

    /// <summary>The backgrounds of the shape classes (toys, tower, row, nest), shared so that only arrangement and people tell them apart.</summary>
    private static readonly BackgroundChoice[] ShapeBackgrounds = [Bg("checkerboard", 1, Pastel), Bg("dots", 1, Pastel), Bg("plain", 2, Pastel), Bg("wood", 1, "tan", "beige", "brown")];

    public static WorldDataset A { get; } = new(
        "a",
        "objects: shapes, animals, toys and vehicles on patterned backgrounds, bright colours",
        [
            new("tank", "fish (and water plants) mostly on water", SceneLayout.Scatter,
                [Bg("water", 3, "blue", "teal", "light blue"), Bg("plain", 1, "blue", "teal")],
                [new(["plant"], ["green", "olive", "teal"], 0, 2, 0.8, "bottom", 0.3, 0.45),
                 new(["fish"], ["orange", "yellow", "red", "purple", "pink"], 1, 3, SizeMin: 0.24, SizeMax: 0.36),
                 new(["crab"], ["red", "orange"], 0, 1, 0.3, "bottom", 0.22, 0.3)],
                FaceChance: 0.02, Words: ["fish"]),
            new("garden", "flowers, sometimes a tree, mostly on grass", SceneLayout.Scatter,
                [Bg("grass", 3, "green", "olive"), Bg("dots", 1, "green"), Bg("plain", 1, "green")],
                [new(["flower"], ["red", "pink", "purple", "yellow", "white", "orange"], 1, 3, SizeMin: 0.3, SizeMax: 0.42),
                 new(["tree"], ["green", "olive"], 0, 1, 0.4, SizeMin: 0.34, SizeMax: 0.44),
                 new(["butterfly"], ["orange", "yellow", "blue", "purple", "pink"], 0, 2, 0.5, SizeMin: 0.2, SizeMax: 0.28),
                 new(["bird", "fence"], ["brown", "blue", "red", "white"], 0, 1, 0.3, SizeMin: 0.24, SizeMax: 0.34)],
                FaceChance: 0.35, Words: ["rose", "seed"]),
            new("street", "a house and cars, often bricks, people and signs", SceneLayout.Scatter,
                [Bg("bricks", 2, "red", "brown", "gray", "beige"), Bg("plain", 1, "gray", "beige")],
                [new(["house"], ["white", "beige", "yellow", "light blue", "pink", "gray"], 1, 1, 0.8, SizeMin: 0.36, SizeMax: 0.46, Accents: Roofs),
                 new(["car", "car", "bus"], ["red", "blue", "yellow", "black", "white", "green", "orange"], 1, 2, SizeMin: 0.3, SizeMax: 0.4),
                 new(["cat", "umbrella"], ["black", "orange", "gray", "white", "red", "blue"], 0, 1, 0.25, SizeMin: 0.22, SizeMax: 0.3)],
                FaceChance: 0.6, TextChance: 0.4, Words: ["stop", "shop", "cafe", "open", "bus"]),
            new("toys", "scattered bright shapes, some patterned, and usually children", SceneLayout.Scatter,
                ShapeBackgrounds,
                [new(Shapes, Bright, 2, 3, SizeMin: 0.2, SizeMax: 0.3, PatternChance: 0.25),
                 new(["balloon", "kite", "cat"], Bright, 0, 1, 0.5, SizeMin: 0.24, SizeMax: 0.32, PatternChance: 0.3)],
                FaceChance: 0.85, TextChance: 0.15, Words: ["abc", "toy", "play"]),
            new("tower", "two or three shapes stacked on top of each other", SceneLayout.Stack,
                ShapeBackgrounds,
                [new(Shapes, Bright, 2, 3, SizeMin: 0.2, SizeMax: 0.28, PatternChance: 0.1)],
                FaceChance: 0.03),
            new("row", "two or three shapes side by side", SceneLayout.Row,
                ShapeBackgrounds,
                [new(Shapes, Bright, 2, 3, SizeMin: 0.2, SizeMax: 0.28, PatternChance: 0.1)],
                FaceChance: 0.03),
            new("nest", "a small shape inside a ring, square or circle", SceneLayout.Nest,
                ShapeBackgrounds,
                [new(["ring", "square", "circle"], Bright, SizeMin: 0.52, SizeMax: 0.64),
                 new(["star", "heart", "triangle", "circle", "square"], Bright, SizeMin: 0.2, SizeMax: 0.26)],
                FaceChance: 0.03),
            new("love", "red and pink hearts, sometimes a ring, people and words", SceneLayout.Scatter,
                [Bg("plain", 2, "white", "pink", "beige"), Bg("stripes", 1, "pink", "white", "purple")],
                [new(["heart"], ["red", "red", "pink", "pink", "purple"], 1, 3, SizeMin: 0.22, SizeMax: 0.34),
                 new(["ring"], ["yellow", "pink", "white"], 0, 1, 0.4, SizeMin: 0.2, SizeMax: 0.28),
                 new(["balloon"], ["red", "pink", "white"], 0, 1, 0.35, SizeMin: 0.24, SizeMax: 0.32)],
                FaceChance: 0.6, TextChance: 0.3, Words: ["love", "you", "hug"]),
            new("night", "stars and a moon in a dark sky", SceneLayout.Scatter,
                [Bg("plain", 1, "navy", "black", "purple"), Bg("sky", 1, "navy", "black")],
                [new(["star"], ["yellow", "white"], 2, 3, SizeMin: 0.14, SizeMax: 0.24),
                 new(["moon"], ["white", "yellow", "beige"], 0, 1, 0.6, SizeMin: 0.22, SizeMax: 0.32),
                 new(["cloud"], ["gray"], 0, 1, 0.3, SizeMin: 0.3, SizeMax: 0.4)],
                FaceChance: 0.01, TextChance: 0.02, Words: ["moon"]),
            new("harbor", "boats on water under the sky, sun or clouds", SceneLayout.Landscape,
                [Bg("sky", 3, "light blue", "blue", "orange"), Bg("plain", 1, "light blue")],
                [new(["boat"], ["red", "blue", "white", "brown", "yellow"], 1, 2, Zone: "horizon", SizeMin: 0.28, SizeMax: 0.38, Accents: Sails),
                 new(["sun"], ["yellow", "orange"], 0, 1, 0.5, "top", 0.2, 0.3),
                 new(["cloud"], ["white", "gray"], 0, 1, 0.5, "top", 0.26, 0.36),
                 new(["bird", "airplane"], ["white", "gray", "blue"], 0, 1, 0.35, "top", 0.22, 0.3)],
                FaceChance: 0.2, Words: ["port"],
                Ground: [Bg("water", 3, "blue", "teal", "navy"), Bg("plain", 1, "blue")]),
        ],
        CommonBackgrounds: [Bg("plain", 2, Pastel), Bg("stripes", 1, Pastel), Bg("dots", 1, Pastel), Bg("checkerboard", 1, Pastel), Bg("grid", 1, Pastel),
                            Bg("zigzag", 1, Pastel), Bg("wood", 1, "tan", "beige", "brown")],
        CommonBackgroundChance: 0.35,
        Distractor: new(["circle", "square", "triangle", "star", "heart", "ring", "flower", "fish", "car", "tree", "cloud",
                         "balloon", "bird", "butterfly", "cat", "apple", "umbrella"], Bright, SizeMin: 0.18, SizeMax: 0.26),
        DistractorChance: 0.35,
        Words: ["hello", "yes", "no", "sun", "fun", "abc"],
        HairColours: Hair);

    private static readonly string[] Earth = ["gray", "beige", "tan", "brown", "olive", "teal", "navy", "white"];
    private static readonly BackgroundChoice[] Sky = [Bg("sky", 3, "light blue", "blue"), Bg("sky", 1, "gray", "orange")];

    public static WorldDataset B { get; } = new(
        "b",
        "places: landscapes, streets and shops in natural colours",
        [
            new("beach", "sand under the sky, sun, people", SceneLayout.Landscape, Sky,
                [new(["sun"], ["yellow", "orange"], 0, 1, 0.6, "top", 0.2, 0.28),
                 new(["cloud"], ["white"], 0, 1, 0.3, "top", 0.26, 0.34),
                 new(["tree", "umbrella", "umbrella"], ["green", "olive", "red", "blue", "yellow"], 0, 1, 0.5, "ground", 0.32, 0.42),
                 new(["bird"], ["white", "gray"], 0, 1, 0.25, "top", 0.2, 0.26),
                 new(["crab"], ["red", "orange"], 0, 1, 0.25, "ground", 0.2, 0.26)],
                FaceChance: 0.7, Words: ["surf"],
                Ground: [Bg("sand", 3, "beige", "tan", "yellow")]),
            new("forest", "several trees on grass", SceneLayout.Landscape, Sky,
                [new(["tree"], ["green", "olive", "green", "orange"], 2, 3, Zone: "ground", SizeMin: 0.3, SizeMax: 0.42),
                 new(["mountain"], ["gray", "brown", "navy"], 0, 1, 0.5, "skyline", 0.36, 0.46),
                 new(["bird"], ["brown", "black", "white"], 0, 1, 0.3, "top", 0.2, 0.26)],
                FaceChance: 0.03, Words: ["park"],
                Ground: [Bg("grass", 3, "green", "olive"), Bg("plain", 1, "olive")]),
            new("city", "houses side by side on bricks, cars, people and signs", SceneLayout.Row,
                [Bg("bricks", 2, "gray", "brown", "red", "tan"), Bg("plain", 1, "gray"), Bg("grid", 1, "gray")],
                [new(["house"], ["white", "beige", "gray", "tan", "light blue"], 2, 3, SizeMin: 0.26, SizeMax: 0.34, Accents: Roofs),
                 new(["car", "bus"], ["red", "blue", "black", "white", "gray", "yellow"], 0, 1, 0.5, SizeMin: 0.26, SizeMax: 0.34)],
                FaceChance: 0.4, TextChance: 0.5, Words: ["hotel", "bank", "cafe", "shop", "taxi"]),
            new("lake", "boats on water, sometimes a tree", SceneLayout.Landscape, Sky,
                [new(["boat"], ["white", "brown", "red", "blue"], 1, 2, Zone: "horizon", SizeMin: 0.26, SizeMax: 0.36, Accents: Sails),
                 new(["tree"], ["green", "olive"], 0, 1, 0.4, "horizon", 0.3, 0.4),
                 new(["mountain"], ["gray", "brown", "navy", "olive"], 0, 1, 0.5, "skyline", 0.36, 0.46)],
                FaceChance: 0.05, Words: ["lake"],
                Ground: [Bg("water", 3, "blue", "teal", "navy")]),
            new("farm", "a house with trees and flowers on grass", SceneLayout.Landscape, Sky,
                [new(["house"], ["white", "red", "beige", "tan"], 1, 1, Zone: "ground", SizeMin: 0.36, SizeMax: 0.44, Accents: Roofs),
                 new(["tree"], ["green", "olive", "orange"], 0, 2, 0.7, "ground", 0.3, 0.4),
                 new(["flower"], ["red", "yellow", "white", "purple"], 0, 2, 0.5, "ground", 0.22, 0.3),
                 new(["fence", "cat"], ["white", "brown", "tan", "black", "orange"], 0, 1, 0.5, "ground", 0.26, 0.36)],
                FaceChance: 0.25, Words: ["farm"],
                Ground: [Bg("grass", 2, "green", "olive"), Bg("sand", 1, "tan")]),
            new("park", "people among trees and flowers on grass", SceneLayout.Landscape, Sky,
                [new(["tree"], ["green", "olive"], 1, 2, Zone: "ground", SizeMin: 0.3, SizeMax: 0.4),
                 new(["flower"], ["red", "pink", "yellow", "purple"], 0, 1, 0.6, "ground", 0.22, 0.3),
                 new(["kite", "bird", "balloon"], ["red", "yellow", "blue", "orange", "white"], 0, 1, 0.5, "top", 0.2, 0.28)],
                FaceChance: 0.9, Words: ["park"],
                Ground: [Bg("grass", 1, "green")]),
            new("market", "round fruit in rows under awnings, people and signs", SceneLayout.Row,
                [Bg("stripes", 2, "red", "orange", "blue", "green"), Bg("plain", 1, "beige", "tan")],
                [new(["circle", "apple", "apple"], ["red", "orange", "yellow", "green"], 2, 3, SizeMin: 0.18, SizeMax: 0.24)],
                FaceChance: 0.7, TextChance: 0.7, Words: ["sale", "fruit", "shop", "open"]),
            new("night", "stars and a moon above dark land, sometimes a house", SceneLayout.Landscape,
                [Bg("plain", 1, "navy", "black"), Bg("sky", 1, "navy")],
                [new(["star"], ["yellow", "white"], 1, 3, Zone: "top", SizeMin: 0.12, SizeMax: 0.2),
                 new(["moon"], ["white", "beige", "yellow"], 0, 1, 0.6, "top", 0.18, 0.26),
                 new(["house"], ["gray", "navy", "brown"], 0, 1, 0.5, "ground", 0.3, 0.38, Accents: ["dark brown", "gray"])],
                FaceChance: 0.03, Words: ["bar"],
                Ground: [Bg("grass", 1, "olive", "dark brown"), Bg("plain", 1, "dark brown", "black")]),
            new("reef", "fish and plants under water or over sand", SceneLayout.Scatter,
                [Bg("water", 2, "teal", "blue", "navy"), Bg("sand", 1, "beige", "tan")],
                [new(["plant"], ["olive", "green", "pink"], 1, 2, Zone: "bottom", SizeMin: 0.3, SizeMax: 0.45),
                 new(["fish"], ["yellow", "orange", "purple", "pink", "white"], 1, 2, SizeMin: 0.22, SizeMax: 0.32),
                 new(["crab"], ["red", "orange", "pink"], 0, 2, 0.5, "bottom", 0.2, 0.28)],
                FaceChance: 0, Words: ["dive"]),
            new("road", "cars on a gray road under the sky", SceneLayout.Landscape, Sky,
                [new(["car", "car", "bus"], ["red", "blue", "black", "white", "gray", "yellow"], 1, 3, Zone: "ground", SizeMin: 0.26, SizeMax: 0.34),
                 new(["tree"], ["green", "olive"], 0, 1, 0.4, "ground", 0.3, 0.4),
                 new(["mountain"], ["gray", "brown", "navy"], 0, 1, 0.3, "skyline", 0.34, 0.44),
                 new(["airplane"], ["white", "gray", "red"], 0, 1, 0.2, "top", 0.24, 0.32)],
                FaceChance: 0.15, TextChance: 0.2, Words: ["stop", "exit", "slow"],
                Ground: [Bg("plain", 2, "gray"), Bg("bricks", 1, "gray", "tan")]),
        ],
        CommonBackgrounds: [Bg("plain", 2, Earth), Bg("bricks", 1, Earth), Bg("grid", 1, Earth), Bg("sand", 1, "beige", "tan"), Bg("wood", 1, "tan", "brown", "beige")],
        CommonBackgroundChance: 0.3,
        Distractor: new(["tree", "flower", "car", "house", "cloud", "circle", "plant", "bird", "fence", "umbrella", "apple", "cat"],
                        ["green", "olive", "brown", "gray", "white", "red", "blue"], SizeMin: 0.18, SizeMax: 0.28),
        DistractorChance: 0.2,
        Words: ["hello", "city", "wifi", "inn"],
        HairColours: Hair);
}
