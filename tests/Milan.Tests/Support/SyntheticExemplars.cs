using Milan.Datasets;
using Milan.World;

namespace Milan.Tests.Support;

/// <summary>Exemplar folders made by hand: per unit, its k image ids and one mask per exemplar (the layout <see cref="ExemplarMasks"/> reads).</summary>
public static class SyntheticExemplars
{
    public static void WriteLayer(string exemplars, string layer, IReadOnlyList<(int[] Ids, byte[][] Masks)> units, int size, long[]? unitIds = null)
    {
        string folder = Path.Combine(exemplars, layer);
        Directory.CreateDirectory(folder);
        var flat = units.SelectMany(u => u.Masks.SelectMany(m => m)).ToArray();
        Npy.Write<byte>(Path.Combine(folder, ExemplarMasks.MasksFile), flat, units.Count, units[0].Masks.Length, 1, size, size);
        File.WriteAllLines(Path.Combine(folder, ExemplarMasks.IdsFile), units.Select(u => string.Join(",", u.Ids)));
        if (unitIds is not null) Npy.Write<long>(Path.Combine(folder, ExemplarMasks.UnitsFile), unitIds, unitIds.Length);
    }
}
