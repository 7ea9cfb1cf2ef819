using Milan.IO;

namespace Milan.Visualization.Atlas;

/// <summary>
/// Writes the atlas (<see cref="AtlasPaths"/>): a static site that opens from file:// with no network,
/// built under a temporary name and renamed into place when complete (<see cref="AtomicDirectory"/>).
/// </summary>
public static class AtlasSite
{
    /// <summary>Exemplars shown in a unit's thumbnail on the grids.</summary>
    public const int ThumbnailExemplars = 3;

    /// <summary>Width of a thumbnail in pixels.</summary>
    public const int ThumbnailWidth = 300;

    public static void Write(string outFolder, IReadOnlyList<IAtlasLayer> layers, IProgress<WorkProgress>? progress = null)
    {
        if (layers.Count == 0) throw new ArgumentException("an atlas needs at least one layer");
        var folders = layers.GroupBy(l => AtlasPaths.LayerFolder(l.Model, l.Name)).FirstOrDefault(g => g.Count() > 1);
        if (folders is not null)
            throw new MilanInputException($"layers {string.Join(", ", folders.Select(l => $"{l.Model}:{l.Name}"))} would share the atlas folder {folders.Key}; rename one");
        var index = AtlasIndex.Of(layers);
        AtomicDirectory.Create(outFolder, folder =>
        {
            File.WriteAllText(Path.Combine(folder, AtlasPaths.StyleSheet), AtlasAssets.Css);
            File.WriteAllText(Path.Combine(folder, AtlasPaths.Script), AtlasAssets.Script);
            File.WriteAllText(Path.Combine(folder, AtlasPaths.SearchIndex), index.Script());
            File.WriteAllText(Path.Combine(folder, AtlasPaths.IndexPage), AtlasPages.Start(index));
            long done = 0, total = layers.Sum(l => (long)l.Units.Count);
            foreach (var layer in layers)
            {
                string layerFolder = Path.Combine(folder, AtlasPaths.LayerFolder(layer.Model, layer.Name));
                Directory.CreateDirectory(Path.Combine(layerFolder, "sheets"));
                Directory.CreateDirectory(Path.Combine(layerFolder, "thumbs"));
                File.WriteAllText(Path.Combine(folder, AtlasPaths.LayerPage(layer.Model, layer.Name)), AtlasPages.Layer(index, layer.Model, layer.Name));
                Parallel.For(0, layer.Units.Count, position =>
                {
                    var unit = layer.Units[position];
                    var (rgba, width, height) = layer.Sheet(position, layer.ExemplarsPerUnit);
                    File.WriteAllBytes(Path.Combine(folder, AtlasPaths.Sheet(layer.Model, layer.Name, unit.Unit)), AtlasImages.Jpeg(rgba, width, height));
                    var (thumb, thumbWidth, thumbHeight) = layer.Sheet(position, ThumbnailExemplars);
                    File.WriteAllBytes(Path.Combine(folder, AtlasPaths.Thumbnail(layer.Model, layer.Name, unit.Unit)),
                        AtlasImages.Jpeg(thumb, thumbWidth, thumbHeight, ThumbnailWidth));
                    File.WriteAllText(Path.Combine(folder, AtlasPaths.UnitPage(layer.Model, layer.Name, unit.Unit)),
                        AtlasPages.Unit(index, layer.Model, layer.Name, unit, layer.ExemplarsPerUnit));
                    progress?.Report(new WorkProgress("atlas", Interlocked.Increment(ref done), total, $"{layer.Model} {layer.Name}"));
                });
            }
        });
    }
}
