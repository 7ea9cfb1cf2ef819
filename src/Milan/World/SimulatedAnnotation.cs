using Milan.IO;

namespace Milan.World;

/// <summary>One row of annotations.csv: a description of a unit.</summary>
public sealed record AnnotationRow(string Layer, long Unit, string Summary);

/// <summary>
/// Simulated annotation of an exemplar folder: three simulated people per unit (terse, verbose,
/// relational; <see cref="SimulatedAnnotator"/>) look at the unit's k masked exemplars, seen through
/// the world's exact concept masks of the same probe images (<see cref="HighlightedContent"/>), and
/// each write one description. The result is annotations.csv in the
/// MILANNOTATIONS format (layer,unit,summary; three rows per unit). This is a simulation, not human
/// data. Each annotator's random choices are seeded by (seed, layer, unit, annotator).
/// </summary>
public static class SimulatedAnnotation
{
    public static readonly IReadOnlyList<AnnotatorStyle> Styles = [AnnotatorStyle.Terse, AnnotatorStyle.Verbose, AnnotatorStyle.Relational];

    /// <summary>Describes every unit of every layer of <paramref name="exemplarFolder"/> and writes the CSV atomically.</summary>
    public static IReadOnlyList<AnnotationRow> Annotate(string exemplarFolder, string world, string outputCsv, long seed = 0, double noise = 1,
        IProgress<WorkProgress>? progress = null)
    {
        var rows = Describe(exemplarFolder, world, seed, noise, progress);
        Write(outputCsv, rows);
        return rows;
    }

    /// <summary>The three descriptions of every unit; <paramref name="world"/> is a split folder with masks or a world folder (its val split).</summary>
    public static IReadOnlyList<AnnotationRow> Describe(string exemplarFolder, string world, long seed = 0, double noise = 1,
        IProgress<WorkProgress>? progress = null)
    {
        using var masks = new WorldConceptMasks(ResolveSplit(world));
        var annotators = Styles.Select(s => new SimulatedAnnotator(s, noise)).ToArray();
        var rows = new List<AnnotationRow>();
        var cache = new Dictionary<int, ImageConcepts>();
        foreach (var layerFolder in ExemplarMasks.LayerFolders(exemplarFolder))
        {
            using var layer = new ExemplarMasks(layerFolder);
            string idsPath = Path.Combine(layerFolder, ExemplarMasks.IdsFile);
            string task = $"annotate {layer.Layer}";
            for (int row = 0; row < layer.Units.Count; row++)
            {
                var images = layer.Ids[row].Select(id =>
                {
                    if (id >= masks.Count)
                        throw MilanInputException.InFile(idsPath, $"image index {id} (unit row {row + 1}) is outside the {masks.Count} images of {masks.Folder}; were these exemplars computed on this world split?");
                    if (!cache.TryGetValue(id, out var concepts))
                    {
                        if (cache.Count >= 4096) cache.Clear();
                        cache[id] = concepts = new ImageConcepts(masks, id);
                    }
                    return concepts;
                }).ToArray();
                var unitMasks = layer.UnitMasks(row)
                    .Select(m => PixelBits.FromBytes(PixelBits.Resample(m, layer.MaskSize, masks.ImageSize), v => v != 0))
                    .ToArray();
                var content = HighlightedContent.Of(unitMasks, images);
                long unit = layer.Units[row];
                for (int a = 0; a < annotators.Length; a++)
                {
                    var random = new WorldRandom(WorldRandom.Derive(seed, "annotator", layer.Layer, unit, a));
                    rows.Add(new AnnotationRow(layer.Layer, unit, annotators[a].Describe(content, random)));
                }
                progress?.Report(new WorkProgress(task, row + 1, layer.Units.Count));
            }
        }
        return rows;
    }

    /// <summary>What the annotators see of one unit (for inspection).</summary>
    public static HighlightedContent Content(WorldConceptMasks masks, IReadOnlyList<int> ids, IReadOnlyList<byte[]> unitMasks, int maskSize)
    {
        var images = ids.Select(id => new ImageConcepts(masks, id)).ToArray();
        var bits = unitMasks.Select(m => PixelBits.FromBytes(PixelBits.Resample(m, maskSize, masks.ImageSize), v => v != 0)).ToArray();
        return HighlightedContent.Of(bits, images);
    }

    /// <summary>A split folder holding concepts.npy, or the val split of a world folder.</summary>
    public static string ResolveSplit(string world) =>
        File.Exists(Path.Combine(world, WorldGenerator.ConceptsFile)) ? world
        : File.Exists(Path.Combine(world, WorldManifest.FileName)) ? Path.Combine(world, "val")
        : throw MilanInputException.InFile(world, $"neither a world folder ({WorldManifest.FileName}) nor a split with concept masks ({WorldGenerator.ConceptsFile})");

    /// <summary>Writes rows as annotations.csv (header layer,unit,summary; fields quoted when needed).</summary>
    public static void Write(string path, IEnumerable<AnnotationRow> rows) =>
        CsvFile.Write(path, ["layer", "unit", "summary"], rows.Select(row => new object?[] { row.Layer, row.Unit, row.Summary }));
}
