namespace Milan.Experiments;

/// <summary>
/// How one unit's exemplar masks meet a concept: the IoU accumulated over the k exemplars
/// (<see cref="ConceptOverlap"/>) and in how many of them the mask touches the concept at all.
/// A unit can pass an IoU threshold on a few exemplars where a large instance fills its mask while
/// the others show something else; <see cref="CoveredShare"/> tells the two apart.
/// </summary>
public sealed record UnitConceptOverlap(double Iou, int ExemplarsCovered, int Exemplars)
{
    /// <summary>Share of the exemplars in which at least one pixel of the mask lies on the concept.</summary>
    public double CoveredShare => Exemplars == 0 ? 0 : ExemplarsCovered / (double)Exemplars;
}
