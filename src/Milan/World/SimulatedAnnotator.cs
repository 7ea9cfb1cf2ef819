namespace Milan.World;

/// <summary>
/// One simulated annotator: turns the evidence about a unit into one short description in the
/// MILANNOTATIONS style (lowercase, no final period). With <see cref="Noise"/> = 1 it errs like
/// a person: about 12% of the time it describes the second-best explanation, about 6% of the time
/// it gives a vague answer ("shapes"); units whose best IoU is below <see cref="UninterpretableIou"/>
/// get "nothing" or a vague answer. Noise 0 always describes its style's best choice.
/// </summary>
public sealed class SimulatedAnnotator(AnnotatorStyle style, double noise = 1)
{
    public const double UninterpretableIou = 0.04;

    private static readonly string[] Vague = ["shapes", "objects", "things", "patterns", "colors", "various objects", "different shapes"];

    public AnnotatorStyle Style => style;
    public double Noise => noise;

    public string Describe(UnitEvidence evidence, WorldRandom random)
    {
        var best = evidence.Best;
        if (best is null || best.Iou < UninterpretableIou)
            return random.Chance(0.5) ? "nothing" : random.Pick(Vague);
        double roll = random.NextDouble();
        if (roll < 0.06 * noise) return random.Pick(Vague);
        if (roll < 0.18 * noise && evidence.Ranked.Count > 1) return Phrase(evidence.Ranked[1].Explanation, random);
        return Phrase(Choose(evidence, random), random);
    }

    private Explanation Choose(UnitEvidence evidence, WorldRandom random)
    {
        var best = evidence.Best!;
        var vocabulary = ConceptVocabulary.Default;
        bool single = best.Explanation.Kind == ExplanationKind.Concept;
        var kind = single ? vocabulary.Named(best.Explanation.A).Kind : (ConceptKind?)null;
        ScoredExplanation? Near(Func<Explanation, bool> match, double ratio) =>
            evidence.Ranked.FirstOrDefault(r => match(r.Explanation) && r.Iou >= ratio * best.Iou);

        switch (style)
        {
            case AnnotatorStyle.Verbose when single && kind is ConceptKind.Category or ConceptKind.Part:
                var coloured = Near(e => e.Kind is ExplanationKind.ColourObject or ExplanationKind.ColourPart && e.B == best.Explanation.A, 0.8);
                return coloured?.Explanation ?? best.Explanation;
            case AnnotatorStyle.Relational:
                var relation = Near(e => e.Kind == ExplanationKind.Relation && e.A != e.B, 0.75);
                if (relation is not null) return relation.Explanation;
                if (single && evidence.RelationContext is { } context && context.A == best.Explanation.A) return context;
                // The most specific region that still holds most of what is highlighted ("text in the top left corner").
                var areas = ImageConcepts.Regions(12).ToDictionary(r => r.Name, r => r.Area);
                var placed = evidence.Ranked
                    .Where(r => r.Explanation.Kind == ExplanationKind.AtPosition && r.Explanation.A == best.Explanation.A && r.Iou >= 0.7 * best.Iou)
                    .OrderBy(r => areas[r.Explanation.B!]).ThenByDescending(r => r.Score).FirstOrDefault();
                return placed?.Explanation ?? best.Explanation;
            default:
                return best.Explanation;
        }
    }

    /// <summary>The words for an explanation in this annotator's style.</summary>
    public string Phrase(Explanation explanation, WorldRandom random)
    {
        // Terse annotators mostly use the plainest word; the others pick among synonyms.
        var words = style == AnnotatorStyle.Terse && !random.Chance(0.25) ? null : random;
        var vocabulary = ConceptVocabulary.Default;
        string text = explanation.Kind switch
        {
            ExplanationKind.Concept => vocabulary.Named(explanation.A).Kind switch
            {
                ConceptKind.Colour => style == AnnotatorStyle.Terse
                    ? ConceptPhrases.Colour(explanation.A, words)
                    : random.Pick(["{0} things", "the color {0}", "{0} objects", "{0} areas"]).Replace("{0}", ConceptPhrases.Colour(explanation.A, words)),
                ConceptKind.Position => style == AnnotatorStyle.Terse
                    ? ConceptPhrases.Position(explanation.A, words)
                    : $"things {ConceptPhrases.Where(explanation.A, words)}",
                _ => ConceptPhrases.Noun(explanation.A, words),
            },
            ExplanationKind.ColourObject or ExplanationKind.ColourPart or ExplanationKind.ColourTexture =>
                $"{ConceptPhrases.Colour(explanation.A, words)} {ConceptPhrases.ModifiableNoun(explanation.B!, words)}",
            ExplanationKind.PatternObject => $"{ConceptPhrases.Pattern(explanation.A, words)} {ConceptPhrases.ModifiableNoun(explanation.B!, words)}",
            ExplanationKind.Relation =>
                $"{ConceptPhrases.ModifiableNoun(explanation.A, words)} {ConceptPhrases.Relation(explanation.Relation!, words)} {ConceptPhrases.ModifiableNoun(explanation.B!, words)}",
            ExplanationKind.Either =>
                $"{ConceptPhrases.ModifiableNoun(explanation.A, words)} {(random.Chance(0.7) ? "and" : "or")} {ConceptPhrases.ModifiableNoun(explanation.B!, words)}",
            ExplanationKind.AtPosition => vocabulary.Named(explanation.A).Kind == ConceptKind.Colour
                ? $"{ConceptPhrases.Colour(explanation.A, words)} things {ConceptPhrases.Where(explanation.B!, words)}"
                : $"{ConceptPhrases.Noun(explanation.A, words)} {ConceptPhrases.Where(explanation.B!, words)}",
            _ => throw new ArgumentOutOfRangeException(nameof(explanation)),
        };
        return text.ToLowerInvariant().TrimEnd('.');
    }
}
