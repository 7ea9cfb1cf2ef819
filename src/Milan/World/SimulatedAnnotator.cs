namespace Milan.World;

/// <summary>
/// One simulated person describing a unit, as the MILANNOTATIONS workers did: shown the unit's
/// exemplars with the highlighted regions, they say what the regions have in common, in a short
/// lowercase phrase (docs/world.md, "Annotators"). The model, from how people describe images:
/// <list type="bullet">
/// <item>They look at some of the exemplars (<see cref="AnnotatorTraits.Attention"/>) and name the
/// <i>thing</i> under the highlights in at least half of them (<see cref="Common"/>); faces and text
/// draw attention first, then objects, their parts, and last the background's textures
/// (<see cref="Salience"/>). A part is named when the highlights sit on the part, the whole object
/// when they cover it.</item>
/// <item>They add what the highlighted things share, a colour, a pattern, a size, what they are
/// doing ("birds flying"), a relation to another object or a second thing, by temperament (<see cref="AnnotatorTraits"/>); a colour that
/// tells the highlighted objects from others of their kind in the same images is nearly always said
/// ("red hearts" when other hearts are not highlighted).</item>
/// <item>When no one thing is common, they name what the things share: their kind when things of
/// one kind are common together ("animals" for fish, birds and cats; <see cref="ConceptVocabulary.Superordinates"/>),
/// with a face or text that is frequent ("shapes and faces"), else the two frequent things that together are common ("houses and cars"), else a hedge on the most
/// frequent one ("some faces").</item>
/// <item>A position is said as a qualifier when the highlights are always in the same place, and on
/// its own only when no thing or colour explains them; what nothing explains gets a vague answer.</item>
/// <item>They err: with <see cref="Noise"/> = 1, 5% of answers are vague lapses ("shapes") and 7%
/// name the second common thing instead of the first. Noise 0 makes every choice of temperament
/// deterministic (taken when its probability is at least one half) and removes the lapses.</item>
/// </list>
/// Wording comes from <see cref="ConceptPhrases"/>, a lexicon of synonyms, plurals and frames.
/// </summary>
public sealed class SimulatedAnnotator(AnnotatorStyle style, double noise = 1)
{
    /// <summary>A thing is common to the highlights when it is seen under them in at least this share of the exemplars looked at.</summary>
    public const double Common = 0.5;

    /// <summary>A thing seen in at least this share, but not common, is mentioned with a hedge ("some faces").</summary>
    public const double Frequent = 0.3;

    /// <summary>An attribute (colour, pattern, size), a relation or a place is shared when at least this share of the exemplars have it.</summary>
    public const double Shared = 0.7;

    /// <summary>
    /// How often a person who adds detail (<see cref="AnnotatorTraits.Detail"/>) also says what a
    /// drawn thing is doing ("birds flying"): a choice, not a measurement; MILANNOTATIONS summaries
    /// are mostly noun phrases, and verbs are their rarest open class.
    /// </summary>
    public const double ActivityShare = 0.4;

    private static readonly string[] Vague =
        ["shapes", "objects", "things", "patterns", "colors", "various objects", "different shapes", "random things", "stuff", "edges",
         "nothing in particular", "mixed things", "miscellaneous objects", "lines and curves", "abstract stuff", "unclear", "hard to say",
         "assorted items", "bits of everything", "corners and edges", "no clear pattern", "random spots"];

    private static readonly string[] Frames =
        ["{0} in the image", "images of {0}", "pictures of {0}", "parts of {0}", "the {0}", "some {0}", "{0} in pictures", "close ups of {0}",
         "mostly {0}", "all {0}", "lots of {0}", "groups of {0}", "regions with {0}", "{0} everywhere", "edges of {0}", "many {0}",
         "a bunch of {0}", "scenes with {0}", "photos of {0}", "drawings of {0}", "{0} of all kinds", "several {0}"];

    // The frames that also fit an uncountable noun ("lots of text", not "many text").
    private static readonly string[] MassFrames =
        Frames.Where(f => !f.StartsWith("many ") && !f.StartsWith("several ") && !f.StartsWith("groups of ") && !f.StartsWith("a bunch of ")).ToArray();

    private static readonly string[] Hedges =
        ["some {0}", "sometimes {0}", "{0} and other things", "maybe {0}", "{0} here and there", "occasionally {0}", "possibly {0}",
         "{0} among other things", "partly {0}", "{0} now and then"];

    public AnnotatorStyle Style => style;
    public AnnotatorTraits Traits { get; } = AnnotatorTraits.Of(style);
    public double Noise => noise;

    /// <summary>How much a kind of thing draws a person's attention: faces and text most, backgrounds least.</summary>
    public static double Salience(string concept)
    {
        if (concept == "face" || ConceptVocabulary.WholeOf.GetValueOrDefault(concept) == "face") return 1.0;
        return ConceptVocabulary.Default.Named(concept).Kind switch
        {
            ConceptKind.Text => 1.0,
            ConceptKind.Category => 0.8,
            ConceptKind.Part => 0.7,
            ConceptKind.Texture => 0.5,
            _ => 0.3,
        };
    }

    public string Describe(HighlightedContent content, WorldRandom random)
    {
        var views = Look(content, random);
        if (views.Count == 0) return random.Chance(0.5) ? "nothing" : random.Pick(Vague);
        double roll = random.NextDouble();
        if (roll < 0.05 * noise) return random.Pick(Vague);

        var things = views.SelectMany(v => v.Seen.Keys).Distinct()
            .Select(c => (Concept: c, Presence: views.Count(v => v.Seen.ContainsKey(c)) / (double)views.Count))
            .OrderByDescending(t => t.Presence * Salience(t.Concept)).ThenBy(t => t.Concept, StringComparer.Ordinal)
            .ToList();
        var common = things.Where(t => t.Presence >= Common).Select(t => t.Concept).ToList();
        string? place = SharedPlace(views);
        string? colour = SharedValue(views, v => v.Colour);

        if (common.Count == 0)
        {
            if (colour is not null) return Lower(ColourOnly(colour, place, random));
            if (Superordinate(views) is { } kind)
            {
                // Faces and text catch the eye even when they are not common: "shapes and faces".
                var eyeCatching = things.FirstOrDefault(t => t.Presence >= Frequent && Salience(t.Concept) >= 1).Concept;
                string and = eyeCatching is null ? "" : $" and {ConceptPhrases.Noun(eyeCatching, random)}";
                return Lower(ConceptPhrases.Noun(kind, random) + and + PlaceIfSaid(place, random));
            }
            if (Pair(things, views) is { } pair)
                return Lower($"{ConceptPhrases.Noun(pair.First, random)} and {ConceptPhrases.Noun(pair.Second, random)}" + PlaceIfSaid(place, random));
            var frequent = things.FirstOrDefault(t => t.Presence >= Frequent).Concept;
            if (frequent is not null)
                return Lower(random.Pick(Hedges).Replace("{0}", ConceptPhrases.Noun(frequent, random)) + Qualifier(place, random));
            if (place is not null) return Lower(PlaceOnly(place, random));
            return random.Pick(Vague);
        }

        string topic = WholeOrPart(common[roll < 0.12 * noise && common.Count > 1 ? 1 : 0], common, views);
        string phrase = NounPhrase(topic, views, random);
        var second = common.FirstOrDefault(c => c != topic && !Related(c, topic) && Salience(c) >= 0.7);
        var relation = SharedValue(views, v => v.Relations.Where(r => r.Category == topic).Select(r => $"{r.Relation}|{r.Other}").FirstOrDefault());
        if (second is not null && Decide(Traits.Detail * 0.7, random))
            phrase = $"{phrase} and {ConceptPhrases.Noun(second, random)}";
        else if (relation is not null && Decide(Traits.Relational, random))
        {
            var parts = relation.Split('|');
            phrase = $"{phrase} {ConceptPhrases.Relation(parts[0], random)} {ConceptPhrases.ModifiableNoun(parts[1], random)}";
        }
        else if (place is not null && Decide(Traits.Positional, random))
            phrase += Qualifier(place, random);
        else if (!phrase.StartsWith("the ") && Decide(style == AnnotatorStyle.Verbose ? 0.4 : 0.2, random))
            phrase = random.Pick(ConceptPhrases.IsMass(phrase) ? MassFrames : Frames).Replace("{0}", phrase);
        return Lower(phrase);
    }

    /// <summary>
    /// The superordinate kind of the things under the highlights when no one thing is common but
    /// things of one kind are (fish, birds and cats in different exemplars: "animals"), or null.
    /// The kind seen in the most exemplars wins.
    /// </summary>
    private static string? Superordinate(IReadOnlyList<ExemplarView> views) =>
        ConceptVocabulary.Superordinates
            .Select(kind => (Kind: kind.Key, Presence: views.Count(v => kind.Value.Any(v.Seen.ContainsKey)) / (double)views.Count))
            .Where(k => k.Presence >= Common)
            .OrderByDescending(k => k.Presence).ThenBy(k => k.Kind, StringComparer.Ordinal)
            .Select(k => k.Kind).FirstOrDefault();

    /// <summary>
    /// Two frequent things that together are common ("houses and cars" for a unit on houses in some
    /// exemplars and cars in others): people list what they see when no one thing is shared. Null
    /// when no two unrelated things reach <see cref="Frequent"/> and cover <see cref="Common"/> together.
    /// </summary>
    private static (string First, string Second)? Pair(IReadOnlyList<(string Concept, double Presence)> things, IReadOnlyList<ExemplarView> views)
    {
        var frequent = things.Where(t => t.Presence >= Frequent).Select(t => t.Concept).ToList();
        if (frequent.Count < 2) return null;
        string first = frequent[0];
        var second = frequent.Skip(1).FirstOrDefault(c => !Related(c, first));
        if (second is null) return null;
        double together = views.Count(v => v.Seen.ContainsKey(first) || v.Seen.ContainsKey(second)) / (double)views.Count;
        return together >= Common ? (first, second) : null;
    }

    private string PlaceIfSaid(string? place, WorldRandom random) => place is not null && Decide(Traits.Positional, random) ? Qualifier(place, random) : "";

    /// <summary>The exemplars this person looks at: <see cref="AnnotatorTraits.Attention"/> of them, the first ones without noise.</summary>
    private List<ExemplarView> Look(HighlightedContent content, WorldRandom random)
    {
        int count = Math.Min(Traits.Attention, content.Views.Count);
        if (noise == 0) return content.Views.Take(count).ToList();
        return content.Views.OrderBy(_ => random.NextDouble()).Take(count).ToList();
    }

    /// <summary>
    /// A part and its whole are often seen together: the whole is named when the highlights cover it
    /// (most of its pixels inside them), the part when they sit on the part only.
    /// </summary>
    private static string WholeOrPart(string topic, IReadOnlyList<string> common, IReadOnlyList<ExemplarView> views)
    {
        string? whole = ConceptVocabulary.WholeOf.GetValueOrDefault(topic);
        string? part = common.FirstOrDefault(c => ConceptVocabulary.WholeOf.GetValueOrDefault(c) == topic);
        var (p, w) = whole is not null && common.Contains(whole) ? (topic, whole) : part is not null ? (part, topic) : (null, null);
        if (p is null || w is null) return topic;
        var both = views.Where(v => v.Seen.ContainsKey(p) && v.Seen.ContainsKey(w)).ToList();
        bool covered = both.Count > 0 && both.Average(v => v.Seen[w].Within) >= HighlightedContent.MostlyInside;
        return covered ? w : p;
    }

    private static bool Related(string a, string b) =>
        ConceptVocabulary.WholeOf.GetValueOrDefault(a) == b || ConceptVocabulary.WholeOf.GetValueOrDefault(b) == a;

    /// <summary>The thing's noun phrase with the attributes the highlighted instances share.</summary>
    private string NounPhrase(string topic, IReadOnlyList<ExemplarView> views, WorldRandom random)
    {
        var kind = ConceptVocabulary.Default.Named(topic).Kind;
        if (kind == ConceptKind.Texture)
        {
            string? tint = SharedValue(views.Where(v => v.Seen.ContainsKey(topic)).ToList(), v => v.Colour);
            return tint is not null && Decide(Traits.Detail, random)
                ? $"{ConceptPhrases.Colour(tint, random)} {ConceptPhrases.ModifiableNoun(topic, random)}"
                : ConceptPhrases.Noun(topic, random);
        }
        if (kind != ConceptKind.Category) return ConceptPhrases.Noun(topic, random);

        var shown = views.Where(v => v.Objects.Any(o => o.Category == topic)).ToList();
        var adjectives = new List<string>();
        string? colour = SharedValue(shown, v => Single(v.Objects.Where(o => o.Category == topic).Select(o => o.Colour)));
        if (colour is not null)
        {
            // A colour that sets the highlighted objects apart from unhighlighted ones of their kind is said by nearly everyone.
            bool contrast = shown.Count(v => v.Others.Any(o => o.Category == topic && o.Colour != colour)) >= 3;
            if (Decide(contrast ? 0.95 : Traits.Detail, random)) adjectives.Add(ConceptPhrases.Colour(colour, random));
        }
        string? pattern = SharedValue(shown, v => Single(v.Objects.Where(o => o.Category == topic).Select(o => o.Pattern)));
        if (pattern is not null && Decide(Traits.Detail, random)) adjectives.Add(ConceptPhrases.Pattern(pattern, random));
        bool small = shown.Count > 0 && shown.Count(v => v.Objects.Where(o => o.Category == topic).All(o => o.Size < 0.2)) >= Shared * shown.Count;
        if (small && Decide(Traits.Detail * 0.5, random)) adjectives.Insert(0, random.Pick(["small", "little", "tiny"]));
        bool large = shown.Count > 0 && shown.Count(v => v.Objects.Where(o => o.Category == topic).All(o => o.Size >= 0.42)) >= Shared * shown.Count;
        if (large && Decide(Traits.Detail * 0.5, random)) adjectives.Insert(0, random.Pick(["large", "big", "huge"]));
        string phrase = adjectives.Count == 0 ? ConceptPhrases.Noun(topic, random) : $"{string.Join(" ", adjectives)} {ConceptPhrases.ModifiableNoun(topic, random)}";
        // What the things are doing, after the noun as people say it ("birds flying"), by the more detailed people now and then.
        if (ConceptPhrases.Activity(topic, null) is not null && Decide(Traits.Detail * ActivityShare, random))
            phrase = $"{phrase} {ConceptPhrases.Activity(topic, random)}";
        return phrase;
    }

    private static string ColourOnly(string colour, string? place, WorldRandom random) =>
        random.Pick(["{0} things", "the color {0}", "{0} objects", "{0} areas", "{0}", "{0} regions", "anything {0}", "{0} colored things",
                     "{0} patches", "splashes of {0}", "{0} surfaces", "{0} hues", "shades of {0}", "{0} tones"])
            .Replace("{0}", ConceptPhrases.Colour(colour, random)) + (place is not null && random.Chance(0.3) ? Qualifier(place, random) : "");

    private static string PlaceOnly(string place, WorldRandom random) =>
        random.Pick(["{1}", "things {0}", "whatever is {0}", "the area {0}", "objects {0}", "stuff {0}", "the part {0}", "anything {0}"])
            .Replace("{0}", ConceptPhrases.Where(place, random)).Replace("{1}", ConceptPhrases.Position(place, random));

    private static string Qualifier(string? place, WorldRandom random) => place is null ? "" : " " + ConceptPhrases.Where(place, random);

    /// <summary>The value that at least <see cref="Shared"/> of the views have (nulls count against it), or null.</summary>
    private static string? SharedValue(IReadOnlyList<ExemplarView> views, Func<ExemplarView, string?> value)
    {
        if (views.Count == 0) return null;
        var best = views.Select(value).Where(v => v is not null).GroupBy(v => v!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault();
        return best is not null && best.Count() >= Shared * views.Count ? best.Key : null;
    }

    /// <summary>The smallest image region that holds the highlight in at least <see cref="Shared"/> of the views, or null.</summary>
    private static string? SharedPlace(IReadOnlyList<ExemplarView> views)
    {
        var counts = views.SelectMany(v => v.Regions).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        return views.SelectMany(v => v.Regions).Distinct()
            .Where(r => counts[r] >= Shared * views.Count)
            .OrderBy(r => ConceptVocabulary.Positions.Contains(r) ? 0 : r.EndsWith(" quadrant") ? 1 : 2).ThenBy(r => r, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static string? Single(IEnumerable<string?> values)
    {
        var distinct = values.Distinct().ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }

    private bool Decide(double probability, WorldRandom random) => noise == 0 ? probability >= 0.5 : random.Chance(probability);

    private static string Lower(string text) => text.ToLowerInvariant().TrimEnd('.');
}
