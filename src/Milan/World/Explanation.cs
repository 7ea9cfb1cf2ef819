namespace Milan.World;

/// <summary>The forms of explanation a simulated annotator considers for a unit's highlighted regions.</summary>
public enum ExplanationKind
{
    /// <summary>One concept: a category, part, colour, texture, text or position.</summary>
    Concept,
    /// <summary>Objects of category B in colour A ("red circles").</summary>
    ColourObject,
    /// <summary>Objects of category B patterned with texture A ("striped squares").</summary>
    PatternObject,
    /// <summary>Texture B in colour A ("green grass").</summary>
    ColourTexture,
    /// <summary>Part B in colour A ("red roofs").</summary>
    ColourPart,
    /// <summary>Objects of category A in <see cref="Explanation.Relation"/> to objects of category B, both covered ("fish next to plants").</summary>
    Relation,
    /// <summary>Objects of category A or of category B ("circles and squares").</summary>
    Either,
    /// <summary>Concept A inside position cell B ("text in the top left corner").</summary>
    AtPosition,
}

/// <summary>One candidate explanation; A, B and Relation are concept names of the vocabulary.</summary>
public sealed record Explanation(ExplanationKind Kind, string A, string? B = null, string? Relation = null)
{
    /// <summary>Simplicity prior: a composition must explain clearly more than a single concept to be preferred.</summary>
    public double Penalty => Kind switch
    {
        ExplanationKind.Concept => 1.0,
        ExplanationKind.Either => 0.85,
        ExplanationKind.Relation or ExplanationKind.AtPosition => 0.9,
        _ => 0.93,
    };

    public override string ToString() => Kind switch
    {
        ExplanationKind.Concept => A,
        ExplanationKind.Relation => $"{A} {Relation} {B}",
        ExplanationKind.Either => $"{A} or {B}",
        ExplanationKind.AtPosition => $"{A} at {B}",
        _ => $"{A} {B}",
    };
}

/// <summary>
/// An explanation with its IoU against the unit's masks accumulated over the exemplars, the fraction
/// of exemplars with highlighted pixels in which it overlaps them (<see cref="Consistency"/>: people
/// describe what is common to the exemplars), and the score they are ranked by:
/// IoU x simplicity penalty x consistency.
/// </summary>
public sealed record ScoredExplanation(Explanation Explanation, double Iou, double Consistency)
{
    public double Score => Iou * Explanation.Penalty * Consistency;
}

/// <summary>
/// What the annotators of one unit have seen: the candidate explanations best first, the fraction
/// of exemplar pixels highlighted, and, when the best single category is consistently in the same
/// relation to another category across the exemplars, that relation (context a person would mention).
/// </summary>
public sealed record UnitEvidence(IReadOnlyList<ScoredExplanation> Ranked, double HighlightedFraction, Explanation? RelationContext)
{
    public ScoredExplanation? Best => Ranked.Count > 0 ? Ranked[0] : null;
}
