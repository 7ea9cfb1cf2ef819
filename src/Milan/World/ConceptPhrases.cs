namespace Milan.World;

/// <summary>
/// The words simulated annotators use for concepts: for each concept, noun phrases (plural forms
/// and synonyms, first = the dominant name, the others drawn by Zipf's law), adjectives for colours and patterns, and
/// phrases for positions and relations. Lowercase, as MILANNOTATIONS summaries are after cleaning.
/// </summary>
public static class ConceptPhrases
{
    private static readonly Dictionary<string, string[]> Nouns = new()
    {
        ["circle"] = ["circles", "round shapes", "circular shapes", "balls", "discs", "round objects", "spheres", "round things", "orbs"],
        ["square"] = ["squares", "square shapes", "boxes", "blocks", "rectangles", "square objects", "tiles", "cubes"],
        ["triangle"] = ["triangles", "triangular shapes", "pointy shapes", "pyramids", "triangle shapes", "wedges"],
        ["star"] = ["stars", "star shapes", "starfish", "pointed stars", "five pointed stars"],
        ["heart"] = ["hearts", "heart shapes", "valentine hearts", "love hearts"],
        ["ring"] = ["rings", "circle outlines", "hoops", "donut shapes", "donuts", "loops", "round outlines"],
        ["house"] = ["houses", "buildings", "homes", "cottages", "huts", "small houses", "house fronts"],
        ["tree"] = ["trees", "tree shapes", "bushes", "tall trees"],
        ["car"] = ["cars", "vehicles", "automobiles", "toy cars", "trucks"],
        ["fish"] = ["fish", "fishes", "goldfish", "swimming fish", "sea creatures"],
        ["flower"] = ["flowers", "blossoms", "daisies", "blooms", "flower heads"],
        ["face"] = ["faces", "human faces", "people's faces", "heads", "faces of people", "people", "cartoon faces", "smiley faces", "heads of people", "portraits"],
        ["boat"] = ["boats", "sailboats", "ships", "sailing boats", "yachts"],
        ["sun"] = ["the sun", "suns", "sunshine", "sun shapes"],
        ["cloud"] = ["clouds", "fluffy clouds", "cloud shapes", "white puffs"],
        ["plant"] = ["plants", "seaweed", "water plants", "weeds", "leaves", "vegetation", "greenery"],
        ["balloon"] = ["balloons", "party balloons", "round balloons", "balloons on strings", "toy balloons", "helium balloons"],
        ["bird"] = ["birds", "little birds", "songbirds", "sparrows", "robins", "doves", "flying birds"],
        ["butterfly"] = ["butterflies", "moths", "insects", "colorful butterflies", "butterfly shapes"],
        ["cat"] = ["cats", "kittens", "kitties", "pets", "cat shapes", "felines"],
        ["moon"] = ["the moon", "moons", "crescent moons", "crescents", "half moons", "moon shapes"],
        ["umbrella"] = ["umbrellas", "parasols", "beach umbrellas", "sun umbrellas", "open umbrellas"],
        ["kite"] = ["kites", "diamond shapes", "flying kites", "paper kites", "diamonds"],
        ["mountain"] = ["mountains", "hills", "peaks", "mountain peaks", "snowy mountains", "mountain ranges"],
        ["bus"] = ["buses", "school buses", "vans", "coaches", "long vehicles", "minibuses"],
        ["fence"] = ["fences", "picket fences", "fence posts", "railings", "wooden fences", "posts"],
        ["apple"] = ["apples", "fruit", "fruits", "pieces of fruit", "apple shapes", "round fruit"],
        ["crab"] = ["crabs", "crab shapes", "crustaceans", "sea crabs", "little crabs"],
        ["airplane"] = ["airplanes", "planes", "jets", "aircraft", "aeroplanes", "jet planes"],
        ["eyes"] = ["eyes", "eyes of faces", "people's eyes", "pairs of eyes", "eyes in faces"],
        ["mouth"] = ["mouths", "lips", "mouths of people", "smiles", "mouths on faces"],
        ["hair"] = ["hair", "hair on heads", "the top of heads", "hairlines", "hair of people"],
        ["roof"] = ["roofs", "the top of houses", "rooftops", "roof tops", "pointed roofs"],
        ["door"] = ["doors", "front doors", "doors of houses", "doorways", "entrances"],
        ["window"] = ["windows", "house windows", "window panes", "windows of buildings"],
        ["trunk"] = ["tree trunks", "trunks", "the bottom of trees", "wooden trunks", "bark"],
        ["treetop"] = ["leaves", "tree tops", "foliage", "the top of trees", "leafy tops", "tree crowns"],
        ["wheels"] = ["wheels", "car wheels", "tires", "tyres", "wheels of cars"],
        ["tail"] = ["tails", "fish tails", "the back of fish", "tail fins", "fins"],
        ["petals"] = ["petals", "flower petals", "petals of flowers"],
        ["stem"] = ["stems", "flower stems", "stalks", "green stems"],
        ["sail"] = ["sails", "boat sails", "sails of boats", "triangular sails"],
        ["hull"] = ["hulls", "the bottom of boats", "boat hulls", "hulls of boats"],
        ["string"] = ["strings", "balloon strings", "lines", "threads", "cords", "thin lines"],
        ["beak"] = ["beaks", "bird beaks", "bills", "beaks of birds", "pointed beaks"],
        ["wings"] = ["wings", "bird wings", "butterfly wings", "feathers", "wings of planes", "wingtips"],
        ["ears"] = ["ears", "cat ears", "pointy ears", "ears of cats", "triangular ears"],
        ["canopy"] = ["umbrella tops", "canopies", "the top of umbrellas", "umbrella canopies", "domes"],
        ["handle"] = ["handles", "umbrella handles", "hooks", "curved handles", "sticks"],
        ["snow"] = ["snow", "snowcaps", "snowy peaks", "snow on mountains", "white tops", "ice"],
        ["leaf"] = ["leaves", "apple leaves", "green leaves", "small leaves", "stems and leaves"],
        ["claws"] = ["claws", "pincers", "crab claws", "nippers", "legs"],
        ["plain"] = ["plain backgrounds", "solid backgrounds", "empty space", "flat color", "blank areas", "empty backgrounds", "uniform surfaces"],
        ["stripes"] = ["stripes", "striped patterns", "lines", "parallel lines", "bands", "streaks"],
        ["dots"] = ["dots", "polka dots", "dotted patterns", "spots", "speckles", "small circles"],
        ["checkerboard"] = ["checkerboard", "checkered patterns", "checkers", "squares in a grid", "chess boards"],
        ["grass"] = ["grass", "grassy ground", "lawns", "fields", "meadows", "green ground"],
        ["water"] = ["water", "waves", "the sea", "ocean", "lakes", "rippling water"],
        ["sky"] = ["sky", "the sky", "skies", "open sky", "blue sky"],
        ["bricks"] = ["bricks", "brick walls", "brick patterns", "walls", "masonry"],
        ["grid"] = ["grids", "grid lines", "tiles", "mesh", "crossing lines", "tiled floors"],
        ["sand"] = ["sand", "sandy ground", "beaches", "the ground", "dirt", "deserts"],
        ["wood"] = ["wood", "wooden floors", "planks", "boards", "wood grain", "floorboards", "wooden surfaces", "timber"],
        ["zigzag"] = ["zigzags", "zigzag lines", "zig zag patterns", "chevrons", "jagged lines", "sawtooth patterns"],
        ["text"] = ["text", "words", "letters", "writing", "words and letters", "printed words", "captions", "labels", "lettering", "written words", "signs with text"],
        // Superordinate kinds (ConceptVocabulary.Superordinates).
        ["animal"] = ["animals", "creatures", "critters", "wildlife", "living things", "small animals", "animals of all kinds"],
        ["vehicle"] = ["vehicles", "transportation", "modes of transport", "things that move", "means of transport", "machines"],
        ["shape"] = ["shapes", "geometric shapes", "simple shapes", "symbols", "basic shapes", "icons", "outlined shapes"],
        ["vegetation"] = ["plants", "nature", "vegetation", "greenery", "trees and flowers", "growing things"],
        ["sky object"] = ["things in the sky", "objects in the sky", "the sky", "weather", "celestial objects", "sky scenes"],
        ["flying thing"] = ["things that fly", "flying objects", "flying things", "things in the air", "things up high"],
        ["building"] = ["buildings", "structures", "architecture", "man made structures", "constructions"],
        ["pattern"] = ["patterns", "textures", "repeating patterns", "geometric patterns", "patterned surfaces", "busy textures", "designs"],
        ["scenery"] = ["scenery", "landscapes", "nature", "outdoor scenes", "the outdoors", "natural backgrounds", "landscape views"],
    };

    // Heads of uncountable phrases, which take no "many", "several", "groups of" ("many text").
    private static readonly HashSet<string> MassHeads =
        ["text", "writing", "lettering", "water", "sky", "grass", "sand", "wood", "snow", "hair", "foliage", "greenery", "vegetation", "seaweed",
         "bark", "ice", "dirt", "timber", "mesh", "masonry", "sunshine", "space", "color", "ocean", "sea", "fruit", "checkerboard", "ground",
         "grain", "nature", "scenery", "transportation", "wildlife", "architecture", "weather", "outdoors"];

    /// <summary>True for a phrase whose head noun is uncountable ("text", "blue water", "wood grain").</summary>
    public static bool IsMass(string phrase) => MassHeads.Contains(phrase.Split(' ')[^1]);

    private static readonly Dictionary<string, string[]> ColourWords = new()
    {
        ["gray"] = ["gray", "grey", "silver", "ash"],
        ["beige"] = ["beige", "cream"],
        ["tan"] = ["tan", "light brown"],
        ["navy"] = ["navy", "dark blue"],
        ["teal"] = ["teal", "turquoise", "cyan", "aqua"],
        ["olive"] = ["olive", "olive green"],
        ["purple"] = ["purple", "violet", "lavender", "plum"],
        ["red"] = ["red", "bright red", "crimson", "scarlet", "cherry"],
        ["orange"] = ["orange", "bright orange", "tangerine", "amber"],
        ["yellow"] = ["yellow", "golden", "lemon", "mustard"],
        ["green"] = ["green", "bright green", "lime", "emerald"],
        ["blue"] = ["blue", "royal blue", "cobalt", "azure"],
        ["light blue"] = ["light blue", "pale blue", "sky blue"],
        ["pink"] = ["pink", "rosy", "magenta", "salmon"],
        ["brown"] = ["brown", "chestnut", "coffee"],
        ["black"] = ["black", "dark", "jet black", "charcoal"],
        ["white"] = ["white", "pale", "ivory", "snowy"],
        ["dark brown"] = ["dark brown", "chocolate"],
    };

    private static readonly Dictionary<string, string[]> PatternAdjectives = new()
    {
        ["stripes"] = ["striped"],
        ["dots"] = ["dotted", "polka dot"],
        ["checkerboard"] = ["checkered"],
        ["zigzag"] = ["zigzag", "chevron"],
    };

    // What the drawn thing is doing, as people read it off a picture ("birds flying", "fish swimming"):
    // only categories drawn in a typical act (a bird with spread wings, a boat with a sail up).
    private static readonly Dictionary<string, string[]> Activities = new()
    {
        ["bird"] = ["flying", "soaring"],
        ["airplane"] = ["flying"],
        ["kite"] = ["flying"],
        ["butterfly"] = ["flying", "fluttering"],
        ["balloon"] = ["floating"],
        ["cloud"] = ["floating", "drifting"],
        ["fish"] = ["swimming"],
        ["crab"] = ["crawling", "walking"],
        ["boat"] = ["sailing", "floating"],
        ["car"] = ["driving", "parked"],
        ["bus"] = ["driving", "parked"],
        ["cat"] = ["sitting"],
        ["sun"] = ["shining"],
        ["flower"] = ["growing", "blooming"],
    };

    private static readonly Dictionary<string, string[]> PositionPhrases = new()
    {
        ["top left"] = ["the top left corner", "the upper left", "the upper left corner"],
        ["top"] = ["the top of the image", "the top", "the upper edge"],
        ["top right"] = ["the top right corner", "the upper right", "the upper right corner"],
        ["left"] = ["the left side", "the left", "the left edge"],
        ["center"] = ["the center", "the middle of the image", "the middle"],
        ["right"] = ["the right side", "the right", "the right edge"],
        ["bottom left"] = ["the bottom left corner", "the lower left", "the lower left corner"],
        ["bottom"] = ["the bottom of the image", "the bottom", "the lower edge"],
        ["bottom right"] = ["the bottom right corner", "the lower right", "the lower right corner"],
        ["top half"] = ["the top of the image", "the upper half"],
        ["bottom half"] = ["the bottom of the image", "the lower half"],
        ["left half"] = ["the left side", "the left half"],
        ["right half"] = ["the right side", "the right half"],
        ["top left quadrant"] = ["the top left corner", "the upper left"],
        ["top right quadrant"] = ["the top right corner", "the upper right"],
        ["bottom left quadrant"] = ["the bottom left corner", "the lower left"],
        ["bottom right quadrant"] = ["the bottom right corner", "the lower right"],
    };

    private static readonly Dictionary<string, string[]> RelationWords = new()
    {
        ["above"] = ["above", "over", "on top of"],
        ["below"] = ["below", "under", "beneath"],
        ["left of"] = ["left of", "to the left of"],
        ["right of"] = ["right of", "to the right of"],
        ["inside"] = ["inside", "in", "within"],
        ["next to"] = ["next to", "beside", "near"],
    };

    /// <summary>The words each concept may be called (noun phrases, colour words, position phrases).</summary>
    public static IReadOnlyList<string> Synonyms(string concept) =>
        Nouns.TryGetValue(concept, out var nouns) ? nouns
        : PositionPhrases.TryGetValue(concept, out var positions) ? positions
        : RelationWords.TryGetValue(concept, out var relations) ? relations
        : ColourWords.TryGetValue(concept, out var colours) ? colours
        : [concept];

    /// <summary>A noun phrase for a category, part, texture or text (the plainest form when <paramref name="random"/> is null).</summary>
    public static string Noun(string concept, WorldRandom? random) => Choose(Synonyms(concept), random);

    /// <summary>A noun phrase that takes an adjective in front ("red roofs", not "red the top of houses").</summary>
    public static string ModifiableNoun(string concept, WorldRandom? random) =>
        Choose(Synonyms(concept).Where(Modifiable).DefaultIfEmpty(Synonyms(concept)[0]).ToArray(), random);

    // Phrases that already carry a determiner, a complement or an adjective of colour, size or light.
    private static readonly HashSet<string> LeadingAdjectives =
        ["small", "tall", "fluffy", "blue", "green", "white", "bright", "pale", "five", "empty", "blank", "flat", "solid", "open", "uniform",
         "little", "colorful", "snowy", "round", "thin", "pointed", "pointy", "triangular", "curved", "long", "wooden"];

    private static bool Modifiable(string phrase) =>
        !phrase.StartsWith("the ") && !phrase.Contains(" of ") && !phrase.Contains("'s ") && !phrase.Contains(" with ")
        && !LeadingAdjectives.Contains(phrase.Split(' ')[0]);

    public static string Colour(string colour, WorldRandom? random) => Choose(ColourWords.GetValueOrDefault(colour) ?? [colour], random);

    public static string Pattern(string texture, WorldRandom? random) => Choose(PatternAdjectives.GetValueOrDefault(texture) ?? [texture], random);

    public static string Position(string position, WorldRandom? random) => Choose(PositionPhrases[position], random);

    /// <summary>A participle for what a drawn thing of this category is doing ("flying"), or null when it is drawn doing nothing in particular.</summary>
    public static string? Activity(string category, WorldRandom? random) =>
        Activities.TryGetValue(category, out var acts) ? Choose(acts, random) : null;

    public static string Relation(string relation, WorldRandom? random) => Choose(RelationWords[relation], random);

    /// <summary>"in the top left corner", "at the top", "on the left side": a position as a prepositional phrase.</summary>
    public static string Where(string position, WorldRandom? random)
    {
        string phrase = Position(position, random);
        string preposition = phrase.EndsWith(" edge") ? "along"
            : phrase.EndsWith(" side") || phrase is "the left" or "the right" ? "on"
            : phrase is "the top" or "the bottom" or "the top of the image" or "the bottom of the image" ? "at"
            : "in";
        return $"{preposition} {phrase}";
    }

    private static readonly string[] PositionPhrasesLongestFirst =
        PositionPhrases.Values.SelectMany(p => p).Concat(PositionPhrases.Keys).Distinct().OrderByDescending(p => p.Length).ToArray();

    // Words that say nothing about what is there ("things in the upper right").
    private static readonly HashSet<string> Filler =
        ["in", "on", "at", "along", "the", "of", "image", "picture", "things", "thing", "objects", "whatever", "is", "area", "areas", "stuff", "part", "parts", "region", "regions"];

    /// <summary>True when a description names a position and nothing else ("the top right corner", "things on the left").</summary>
    public static bool NamesOnlyPosition(string description)
    {
        string text = $" {description.ToLowerInvariant().Trim()} ";
        bool found = false;
        foreach (var phrase in PositionPhrasesLongestFirst)
            while (text.Contains($" {phrase} "))
            {
                text = text.Replace($" {phrase} ", " ");
                found = true;
            }
        return found && text.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(Filler.Contains);
    }

    /// <summary>
    /// Share of people who use a thing's dominant (first-listed) name. In picture-naming norms most
    /// people give an object the same name (about four in five on average for line drawings, Snodgrass
    /// and Vanderwart 1980); a unit's highlights are harder to name than a clear drawing, so a little less.
    /// </summary>
    public const double DominantNameShare = 0.75;

    /// <summary>
    /// One of the options, listed plainest first: the dominant name with <see cref="DominantNameShare"/>,
    /// else one of the others drawn with Zipf's law (the r-th with weight 1/r), as word frequencies fall
    /// off in people's language. One draw of <paramref name="random"/>; without it, the plainest.
    /// </summary>
    private static string Choose(IReadOnlyList<string> options, WorldRandom? random)
    {
        if (random is null) return options[0];
        double u = random.NextDouble();
        if (u < DominantNameShare || options.Count == 1) return options[0];
        double total = 0;
        for (int r = 1; r < options.Count; r++) total += 1.0 / r;
        double draw = (u - DominantNameShare) / (1 - DominantNameShare) * total;
        for (int r = 1; r < options.Count - 1; r++)
        {
            draw -= 1.0 / r;
            if (draw < 0) return options[r];
        }
        return options[^1];
    }
}
