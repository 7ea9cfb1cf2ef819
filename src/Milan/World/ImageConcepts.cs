namespace Milan.World;

/// <summary>
/// What a simulated annotator can see in one probe image: the pixel set of every concept present
/// in its label maps, of every object (by scene index) and of the nine position cells.
/// </summary>
internal sealed class ImageConcepts
{
    public Scene Scene { get; }
    public int Size { get; }
    public IReadOnlyDictionary<int, ulong[]> Concepts { get; }
    public IReadOnlyList<ulong[]> Objects { get; }

    public ImageConcepts(WorldConceptMasks masks, int index)
    {
        Scene = masks.Scene(index);
        Size = masks.ImageSize;
        int pixels = Size * Size;
        var bytes = masks.LayerBytes(index);
        var concepts = new Dictionary<int, ulong[]>();
        for (int layer = 0; layer < ConceptLayer.Count; layer++)
        {
            if (layer == ConceptLayer.Instance) continue;
            var values = bytes.AsSpan(layer * pixels, pixels);
            foreach (byte id in values.ToArray().Where(v => v != 0).Distinct())
                concepts[id] = PixelBits.FromBytes(values, v => v == id);
        }
        Concepts = concepts;
        var objects = new ulong[Scene.Objects.Count][];
        for (int i = 0; i < objects.Length; i++)
        {
            byte instance = (byte)(i + 1);
            objects[i] = PixelBits.FromBytes(bytes.AsSpan(ConceptLayer.Instance * pixels, pixels), v => v == instance);
        }
        Objects = objects;
    }

    public ulong[]? Concept(int id) => Concepts.TryGetValue(id, out var bits) ? bits : null;

    private static readonly Dictionary<int, IReadOnlyList<Region>> RegionCache = new();

    /// <summary>A named image region an annotator may locate things in, with its pixel set.</summary>
    public sealed record Region(string Name, ulong[] Bits, int Area);

    /// <summary>
    /// The regions annotators use at a size: the nine position cells of the vocabulary (row by row,
    /// first), then the four halves and the four quadrants, which people also call "the top" or
    /// "the top left corner".
    /// </summary>
    public static IReadOnlyList<Region> Regions(int size)
    {
        lock (RegionCache)
        {
            if (RegionCache.TryGetValue(size, out var cached)) return cached;
            var regions = new List<Region>();
            void Add(string name, Func<double, double, bool> inside)
            {
                var bits = PixelBits.Empty(size * size);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        if (inside((x + 0.5) / size, (y + 0.5) / size)) bits[(y * size + x) >> 6] |= 1UL << ((y * size + x) & 63);
                regions.Add(new Region(name, bits, PixelBits.Count(bits)));
            }
            for (int cell = 0; cell < 9; cell++)
            {
                var (rows, columns) = WorldConceptMasks.GridSpan(cell, size);
                Add(ConceptVocabulary.Positions[cell], (x, y) =>
                    y * size >= rows.Start.Value && y * size < rows.End.Value && x * size >= columns.Start.Value && x * size < columns.End.Value);
            }
            Add("top half", (_, y) => y < 0.5);
            Add("bottom half", (_, y) => y >= 0.5);
            Add("left half", (x, _) => x < 0.5);
            Add("right half", (x, _) => x >= 0.5);
            Add("top left quadrant", (x, y) => x < 0.5 && y < 0.5);
            Add("top right quadrant", (x, y) => x >= 0.5 && y < 0.5);
            Add("bottom left quadrant", (x, y) => x < 0.5 && y >= 0.5);
            Add("bottom right quadrant", (x, y) => x >= 0.5 && y >= 0.5);
            RegionCache[size] = regions;
            return regions;
        }
    }
}
