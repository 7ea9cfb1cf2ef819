using Milan.Exemplars;
using Milan.Language;
using Milan.World;

namespace Milan.Experiments;

/// <summary>
/// How often the simulated people name a concept with the paper's words when a unit could not be
/// clearer: its highlights are exactly the concept's masks in all of its exemplars (docs/world.md,
/// "The people model's ceiling"). What they still miss is their own lapses and the names they use
/// that the word rule does not match ("portraits", "captions"); no real unit is described more
/// faithfully, so this share is the most that <see cref="AnnotatorFidelity"/> can find.
/// </summary>
/// <param name="Concept">The concept whose masks are the highlights.</param>
/// <param name="ProbeSplit">The split the exemplars were drawn from.</param>
/// <param name="Units">Ideal units annotated, each by the three people.</param>
/// <param name="Annotations">Their annotations.</param>
/// <param name="WordShare">Share of the annotations that the word rule matches.</param>
/// <param name="Misses">The annotations the rule does not match, most frequent first, with their counts.</param>
public sealed record AnnotatorCeiling(string Concept, string ProbeSplit, int Units, int Annotations, double WordShare,
    IReadOnlyList<(string Summary, int Count)> Misses)
{
    /// <summary>Ideal units per measurement: 300 annotations put the share within about ±3 points (95%).</summary>
    public const int DefaultUnits = 100;

    /// <summary>
    /// Annotates <paramref name="units"/> ideal units of <paramref name="concept"/>: each takes
    /// k exemplars (<see cref="ExemplarOptions.K"/>) drawn at random from the images of the split that
    /// hold the concept, highlighted exactly where the concept is. Null when fewer images hold it.
    /// </summary>
    public static AnnotatorCeiling? Measure(string probeSplit, string concept, WordRule rule, int units = DefaultUnits, long seed = 0)
    {
        using var masks = new WorldConceptMasks(SimulatedAnnotation.ResolveSplit(probeSplit));
        int id = ConceptVocabulary.Default.Id(concept);
        var holding = new List<ImageConcepts>();
        for (int i = 0; i < masks.Count; i++)
        {
            var image = new ImageConcepts(masks, i);
            if (image.Concept(id) is not null) holding.Add(image);
        }
        int k = new ExemplarOptions().K;
        if (holding.Count < k) return null;

        var annotators = SimulatedAnnotation.Styles.Select(s => new SimulatedAnnotator(s)).ToArray();
        var summaries = new List<string>();
        for (int unit = 0; unit < units; unit++)
        {
            var draw = new WorldRandom(WorldRandom.Derive(seed, "ideal unit", concept, unit));
            var exemplars = holding.OrderBy(_ => draw.NextDouble()).Take(k).ToList();
            var content = HighlightedContent.Of(exemplars.Select(e => e.Concept(id)!).ToList(), exemplars);
            for (int a = 0; a < annotators.Length; a++)
                summaries.Add(annotators[a].Describe(content, new WorldRandom(WorldRandom.Derive(seed, "ideal annotator", concept, unit, a))));
        }
        var misses = Unmatched(summaries, rule);
        return new AnnotatorCeiling(concept, probeSplit, units, summaries.Count, 1 - misses.Sum(m => m.Count) / (double)summaries.Count, misses);
    }

    /// <summary>The summaries the rule does not match, each with its count, most frequent first (ties in ordinal order).</summary>
    public static IReadOnlyList<(string Summary, int Count)> Unmatched(IEnumerable<string> summaries, WordRule rule) =>
        summaries.Where(s => !rule.Matches(s)).GroupBy(s => s)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count())).ToList();
}
