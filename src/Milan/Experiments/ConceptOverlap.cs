using Milan.World;

namespace Milan.Experiments;

/// <summary>
/// Ground truth from the world's exact concept masks: how well a unit's exemplar masks cover a
/// concept, as the IoU accumulated over its k exemplars, Σ|M ∩ C| / Σ|M ∪ C| (the dataset-level
/// IoU that NetDissect and the simulated annotators use). Exemplar masks at another resolution
/// than the probe split are resampled by nearest neighbour.
/// </summary>
public static class ConceptOverlap
{
    /// <summary>
    /// The IoU of every unit of every layer of <paramref name="exemplarFolder"/> with
    /// <paramref name="concept"/> (a category, part, colour, texture or text concept; e.g. "face",
    /// whose mask covers the whole face including eyes, mouth and hair), over the split whose
    /// images the exemplars' ids.csv indexes.
    /// </summary>
    public static IReadOnlyDictionary<ModelUnit, double> Iou(string exemplarFolder, WorldConceptMasks masks, string concept,
                                                            IProgress<WorkProgress>? progress = null) =>
        IouOf(Measure(exemplarFolder, masks, concept, progress));

    /// <summary>The IoU of each unit of <paramref name="overlaps"/>.</summary>
    public static IReadOnlyDictionary<ModelUnit, double> IouOf(IReadOnlyDictionary<ModelUnit, UnitConceptOverlap> overlaps) =>
        overlaps.ToDictionary(u => u.Key, u => u.Value.Iou);

    /// <summary>As <see cref="Iou"/>, with the number of exemplars whose mask touches the concept.</summary>
    public static IReadOnlyDictionary<ModelUnit, UnitConceptOverlap> Measure(string exemplarFolder, WorldConceptMasks masks, string concept,
                                                                            IProgress<WorkProgress>? progress = null)
    {
        var target = masks.Vocabulary.Named(concept);
        int layerIndex = ConceptLayer.Of(target.Kind);
        if (layerIndex < 0) throw new MilanInputException($"concept '{concept}' is a {target.Kind}, which has no label map; use a category, part, colour, texture or text concept");
        int size = masks.ImageSize, pixels = size * size;
        var conceptBits = new Dictionary<int, ulong[]>();
        ulong[] ConceptBits(int image)
        {
            if (!conceptBits.TryGetValue(image, out var bits))
            {
                var bytes = masks.LayerBytes(image);
                conceptBits[image] = bits = PixelBits.FromBytes(bytes.AsSpan(layerIndex * pixels, pixels), v => v == target.Id);
            }
            return bits;
        }

        var result = new Dictionary<ModelUnit, UnitConceptOverlap>();
        foreach (var layerFolder in ExemplarMasks.LayerFolders(exemplarFolder))
        {
            using var layer = new ExemplarMasks(layerFolder);
            for (int row = 0; row < layer.Units.Count; row++)
            {
                long intersection = 0, union = 0;
                int covered = 0;
                var unitMasks = layer.UnitMasks(row);
                for (int k = 0; k < layer.K; k++)
                {
                    int image = layer.Ids[row][k];
                    if (image < 0 || image >= masks.Count)
                        throw MilanInputException.InFile(Path.Combine(layerFolder, ExemplarMasks.IdsFile),
                            $"image index {image} (unit row {row + 1}) is outside the {masks.Count} images of {masks.Folder}; were these exemplars computed on this split?");
                    var unit = PixelBits.FromBytes(PixelBits.Resample(unitMasks[k], layer.MaskSize, size), v => v != 0);
                    var truth = ConceptBits(image);
                    int both = PixelBits.AndCount(unit, truth);
                    intersection += both;
                    if (both > 0) covered++;
                    union += PixelBits.Count(unit) + PixelBits.Count(truth) - both;
                }
                double iou = union == 0 ? 0 : (double)intersection / union;
                result[new ModelUnit(layer.Layer, (int)layer.Units[row])] = new UnitConceptOverlap(iou, covered, layer.K);
                progress?.Report(new WorkProgress($"{concept} overlap {layer.Layer}", row + 1, layer.Units.Count));
            }
        }
        return result;
    }
}
