namespace Milan.World;

/// <summary>
/// The words simulated annotators use for concepts: for each concept, noun phrases (plural forms
/// and synonyms, first = plainest), adjectives for colours and patterns, and phrases for positions
/// and relations. Lowercase, as MILANNOTATIONS summaries are after cleaning.
/// </summary>
public static class ConceptPhrases
{
    private static readonly Dictionary<string, string[]> Nouns = new()
    {
        ["circle"] = ["circles", "round shapes", "circular shapes", "balls"],
        ["square"] = ["squares", "square shapes", "boxes", "blocks"],
        ["triangle"] = ["triangles", "triangular shapes", "pointy shapes"],
        ["star"] = ["stars", "star shapes"],
        ["heart"] = ["hearts", "heart shapes"],
        ["ring"] = ["rings", "circle outlines", "hoops", "donut shapes"],
        ["house"] = ["houses", "buildings", "homes"],
        ["tree"] = ["trees"],
        ["car"] = ["cars", "vehicles", "automobiles"],
        ["fish"] = ["fish", "fishes"],
        ["flower"] = ["flowers", "blossoms"],
        ["face"] = ["faces", "faces of people", "people's faces", "human faces", "heads"],
        ["boat"] = ["boats", "sailboats", "ships"],
        ["sun"] = ["the sun", "suns"],
        ["cloud"] = ["clouds"],
        ["plant"] = ["plants", "seaweed", "water plants", "weeds"],
        ["eyes"] = ["eyes", "eyes of faces", "people's eyes"],
        ["mouth"] = ["mouths", "lips", "mouths of people"],
        ["hair"] = ["hair", "hair on heads", "the top of heads"],
        ["roof"] = ["roofs", "the top of houses", "rooftops"],
        ["door"] = ["doors", "front doors", "doors of houses"],
        ["window"] = ["windows"],
        ["trunk"] = ["tree trunks", "trunks", "the bottom of trees"],
        ["treetop"] = ["leaves", "tree tops", "foliage", "the top of trees"],
        ["wheels"] = ["wheels", "car wheels", "tires"],
        ["tail"] = ["tails", "fish tails", "the back of fish"],
        ["petals"] = ["petals", "flower petals"],
        ["stem"] = ["stems", "flower stems"],
        ["sail"] = ["sails", "boat sails"],
        ["hull"] = ["hulls", "the bottom of boats", "boat hulls"],
        ["plain"] = ["plain backgrounds", "solid backgrounds", "empty space", "flat color"],
        ["stripes"] = ["stripes", "striped patterns", "lines"],
        ["dots"] = ["dots", "polka dots", "dotted patterns", "spots"],
        ["checkerboard"] = ["checkerboard", "checkered patterns", "checkers"],
        ["grass"] = ["grass", "grassy ground", "lawns"],
        ["water"] = ["water", "waves", "the sea"],
        ["sky"] = ["sky", "the sky", "skies"],
        ["bricks"] = ["bricks", "brick walls", "brick patterns"],
        ["grid"] = ["grids", "grid lines", "tiles"],
        ["sand"] = ["sand", "sandy ground", "beaches"],
        ["text"] = ["text", "words", "letters", "writing", "words and letters"],
    };

    private static readonly Dictionary<string, string[]> ColourWords = new()
    {
        ["gray"] = ["gray", "grey"],
        ["beige"] = ["beige", "cream"],
        ["tan"] = ["tan", "light brown"],
        ["navy"] = ["navy", "dark blue"],
        ["teal"] = ["teal", "turquoise"],
        ["olive"] = ["olive", "olive green"],
        ["purple"] = ["purple", "violet"],
    };

    private static readonly Dictionary<string, string[]> PatternAdjectives = new()
    {
        ["stripes"] = ["striped"],
        ["dots"] = ["dotted", "polka dot"],
        ["checkerboard"] = ["checkered"],
    };

    private static readonly Dictionary<string, string[]> PositionPhrases = new()
    {
        ["top left"] = ["the top left corner", "the upper left"],
        ["top"] = ["the top of the image", "the top"],
        ["top right"] = ["the top right corner", "the upper right"],
        ["left"] = ["the left side", "the left"],
        ["center"] = ["the center", "the middle of the image"],
        ["right"] = ["the right side", "the right"],
        ["bottom left"] = ["the bottom left corner", "the lower left"],
        ["bottom"] = ["the bottom of the image", "the bottom"],
        ["bottom right"] = ["the bottom right corner", "the lower right"],
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
        Choose(Synonyms(concept).Where(s => !s.StartsWith("the ") && !s.Contains(" of ") && !s.Contains("'s ")).DefaultIfEmpty(Synonyms(concept)[0]).ToArray(), random);

    public static string Colour(string colour, WorldRandom? random) => Choose(ColourWords.GetValueOrDefault(colour) ?? [colour], random);

    public static string Pattern(string texture, WorldRandom? random) => Choose(PatternAdjectives.GetValueOrDefault(texture) ?? [texture], random);

    public static string Position(string position, WorldRandom? random) => Choose(PositionPhrases[position], random);

    public static string Relation(string relation, WorldRandom? random) => Choose(RelationWords[relation], random);

    /// <summary>"in the top left corner", "at the top", "on the left side": a position as a prepositional phrase.</summary>
    public static string Where(string position, WorldRandom? random)
    {
        string phrase = Position(position, random);
        string preposition = phrase.EndsWith(" side") || phrase is "the left" or "the right" ? "on"
            : phrase is "the top" or "the bottom" or "the top of the image" or "the bottom of the image" ? "at"
            : "in";
        return $"{preposition} {phrase}";
    }

    private static string Choose(IReadOnlyList<string> options, WorldRandom? random) => random is null ? options[0] : random.Pick(options);
}
