namespace Milan.Evaluation;

/// <summary>
/// Network Dissection (Bau et al. 2017; NetDissect-Lite's settings): the IoU of a unit's thresholded
/// mask with each concept's mask, summed over the probe set, |M ∩ C| / (|M| + |C| − |M ∩ C|); the
/// label is the concept with the largest IoU (the first in concept order on ties). It counts as a
/// detector when the IoU reaches <see cref="DissectionOptions.IouThreshold"/>. The text is the concept
/// name up to its first "-", as MILAN reads NetDissect reports (milan-spec §6.6).
/// Departure: NetDissect-Lite restricts a unit's area in the union to images labelled in the
/// concept's category (Broden is partially labelled); every probe image here is fully labelled, so
/// the two agree.
/// </summary>
public static class NetDissect
{
    public static double[] Ious(PixelSet unit, ConceptPixels concepts)
    {
        long area = unit.Count();
        var words = unit.NonEmptyWords();
        var ious = new double[concepts.Sets.Count];
        for (int c = 0; c < ious.Length; c++)
        {
            long both = unit.IntersectionCount(concepts.Sets[c], words);
            ious[c] = Iou(both, area, concepts.Areas[c]);
        }
        return ious;
    }

    public static UnitLabel Label(string layer, int unit, PixelSet pixels, ConceptPixels concepts)
    {
        var ious = Ious(pixels, concepts);
        int best = 0;
        for (int c = 1; c < ious.Length; c++) if (ious[c] > ious[best]) best = c;
        string name = concepts.Names[best];
        return new UnitLabel(layer, unit, name, name.Split('-')[0].ToLowerInvariant().Trim(), ious[best]);
    }

    internal static double Iou(long both, long unitArea, long conceptArea) => both / (conceptArea + unitArea - both + 1e-10);
}
