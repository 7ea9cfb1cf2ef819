using Milan.World;

namespace Milan.Experiments;

/// <summary>How many units of one layer are selective for a concept (IoU with its masks at least each threshold).</summary>
/// <param name="AtThresholds">Counts in the order of <see cref="ConceptUnits.Thresholds"/>.</param>
/// <param name="BestIou">The highest IoU of a unit of the layer.</param>
public sealed record LayerConceptUnits(string Layer, int Units, IReadOnlyList<int> AtThresholds, double BestIou);

/// <summary>
/// The ground-truth units of a concept in one exemplar folder, layer by layer: those whose exemplar
/// masks overlap the concept's masks with IoU (<see cref="ConceptOverlap"/>) at least each threshold.
/// The face audit's criterion is 0.1; 0.05 shows how many units are near it.
/// </summary>
public sealed record ConceptUnits(string Concept, IReadOnlyList<double> Thresholds, IReadOnlyList<LayerConceptUnits> Layers)
{
    public static readonly IReadOnlyList<double> DefaultThresholds = [0.05, 0.1, 0.2];

    /// <summary>Counts over all layers, in the order of <see cref="Thresholds"/>.</summary>
    public IReadOnlyList<int> Total => Thresholds.Select((_, t) => Layers.Sum(l => l.AtThresholds[t])).ToList();

    /// <summary>Counts the units of <paramref name="iou"/> (unit → IoU with the concept) per layer, layers in first-seen order.</summary>
    public static ConceptUnits Count(string concept, IReadOnlyDictionary<ModelUnit, double> iou, IReadOnlyList<double>? thresholds = null)
    {
        var levels = thresholds ?? DefaultThresholds;
        var layers = iou.GroupBy(u => u.Key.Layer)
            .Select(g => new LayerConceptUnits(g.Key, g.Count(), levels.Select(t => g.Count(u => u.Value >= t)).ToList(), g.Max(u => u.Value)))
            .ToList();
        return new ConceptUnits(concept, levels, layers);
    }

    /// <summary>The units of every layer of <paramref name="exemplarFolder"/> counted against the probe split's masks of <paramref name="concept"/>.</summary>
    public static ConceptUnits Measure(string exemplarFolder, WorldConceptMasks masks, string concept, IReadOnlyList<double>? thresholds = null,
                                       IProgress<WorkProgress>? progress = null) =>
        Count(concept, ConceptOverlap.Iou(exemplarFolder, masks, concept, progress), thresholds);
}
