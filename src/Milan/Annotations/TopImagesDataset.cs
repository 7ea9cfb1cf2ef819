namespace Milan.Annotations;

/// <summary>
/// One exemplar dataset folder (&lt;arch&gt;/&lt;dataset&gt;) in the published MILANNOTATIONS layout,
/// with the reference loader's semantics (milan-spec §2.2–2.3):
/// <list type="bullet">
/// <item>with annotations.csv and an annotation count N (3 for the annotated keys): samples in order
///   of first appearance of (layer, unit) in the CSV, units with fewer than N annotations dropped,
///   longer lists cut to the first N;</item>
/// <item>with annotations.csv and no count: every unit in top-images order with all its annotations;</item>
/// <item>without annotations.csv: every unit in top-images order (layers sorted as strings, units by
///   units.npy or 0..n-1), no annotations.</item>
/// </list>
/// Every annotation row must name an existing layer and unit (the reference only checks the rows it
/// keeps). Images and masks stay memory-mapped: opening reads headers and the small CSV/npy
/// side files only, and each sample reads its own K images when asked. Dispose to release the maps.
/// </summary>
public sealed class TopImagesDataset : IDisposable
{
    private readonly Dictionary<string, TopImagesLayer> _layersByName;
    private readonly Dictionary<(string, int), TopImagesSample> _samplesByUnit;

    public DatasetKey Key { get; }

    /// <summary>The key's name, e.g. "alexnet/imagenet"; samples carry it as their <see cref="TopImagesSample.Dataset"/>.</summary>
    public string Name => Key.Name;

    public string Folder => Key.Folder;

    /// <summary>Layers sorted by name as strings (the reference's order: "blocks.10" before "blocks.2").</summary>
    public IReadOnlyList<TopImagesLayer> Layers { get; }

    public IReadOnlyList<TopImagesSample> Samples { get; }

    /// <summary>The parsed annotations.csv, or null when absent or not loaded.</summary>
    public AnnotationTable? Annotations { get; }

    /// <summary>The annotation count applied (null: no count, all annotations kept).</summary>
    public int? AnnotationCount { get; }

    private TopImagesDataset(DatasetKey key, TopImagesLayer[] layers, AnnotationTable? annotations, int? annotationCount)
    {
        Key = key;
        Layers = layers;
        Annotations = annotations;
        AnnotationCount = annotationCount;
        _layersByName = layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        Samples = annotations is null ? TopImagesOrder(null) : annotationCount is null ? TopImagesOrder(annotations) : CsvOrder(annotations, annotationCount.Value);
        _samplesByUnit = Samples.ToDictionary(s => (s.Layer, s.Unit));
    }

    /// <summary>Opens a folder in the layout as an unregistered key (named "&lt;parent&gt;/&lt;folder&gt;").</summary>
    public static TopImagesDataset Open(string folder, TopImagesLoadOptions? options = null, IProgress<WorkProgress>? progress = null) =>
        Open(DatasetKeys.ForFolder(folder, dataRoot: options?.DataRoot), options, progress);

    /// <summary>Opens a key's folder, merging source images first when a layer lacks them (see <see cref="MissingImages"/>).</summary>
    public static TopImagesDataset Open(DatasetKey key, TopImagesLoadOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        options ??= new TopImagesLoadOptions();
        if (!Directory.Exists(key.Folder))
            throw MilanInputException.InFile(key.Folder, key.ArchiveName is null
                ? $"dataset folder not found (key '{key.Name}')"
                : $"dataset folder not found: fetch it with `milan data fetch {key.Name}` (or unzip {key.ArchiveName} there)");
        var layerFolders = LayerFolders(key.Folder);
        if (layerFolders.Count == 0)
            throw MilanInputException.InFile(key.Folder, "no layer folders (expected <layer>/masks.npy for each layer)");

        var missing = layerFolders.Where(l => !File.Exists(Path.Combine(l, TopImagesLayer.ImagesFile))).ToArray();
        if (missing.Length > 0 && options.MissingImages != MissingImages.Skip)
        {
            string? source = options.SourceImagesFolder ?? key.SourceImages;
            string first = Path.Combine(missing[0], TopImagesLayer.ImagesFile);
            if (source is null)
                throw MilanInputException.InFile(first, "file not found, and this dataset has no source image folder to merge from");
            if (options.MissingImages == MissingImages.Fail)
                throw MilanInputException.InFile(first, $"file not found: this dataset ships without source images; load it with merging from {source} (ImageFolder layout)");
            SourceImageMerge.MergeMissing(key.Folder, source, options.OpenImageFolder ?? SourceImageMerge.DefaultImageFolderOpener, progress: progress);
        }

        var layers = new List<TopImagesLayer>();
        try
        {
            foreach (var layerFolder in layerFolders)
                layers.Add(TopImagesLayer.Open(layerFolder, Path.GetFileName(layerFolder)));
            AnnotationTable? annotations = null;
            string annotationsPath = Path.Combine(key.Folder, AnnotationTable.FileName);
            if (options.LoadAnnotations && File.Exists(annotationsPath))
            {
                annotations = AnnotationTable.Read(annotationsPath);
                CheckRowsExist(annotations, layers);
            }
            int? count = options.AnnotationCount ?? key.AnnotationCount;
            if (count is <= 0) throw new MilanInputException($"annotation count {count}: expected at least 1");
            return new TopImagesDataset(key, layers.ToArray(), annotations, count);
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }
    }

    /// <summary>The sample of a unit, or null when the dataset has no such sample (unknown, or dropped by the policy).</summary>
    public TopImagesSample? Find(string layer, int unit) =>
        _samplesByUnit.GetValueOrDefault((LayerNames.Canonical(layer), unit))
        ?? _samplesByUnit.GetValueOrDefault((layer, unit));

    /// <summary>The sample of a unit; raises <see cref="MilanInputException"/> when there is none.</summary>
    public TopImagesSample Lookup(string layer, int unit) =>
        Find(layer, unit) ?? throw new MilanInputException($"{Name}: no sample for layer '{layer}' unit {unit}");

    public TopImagesLayer Layer(string name) =>
        _layersByName.GetValueOrDefault(name) ?? _layersByName.GetValueOrDefault(LayerNames.Canonical(name))
        ?? throw new MilanInputException($"{Name}: no layer '{name}' (layers: {string.Join(", ", _layersByName.Keys)})");

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }

    /// <summary>The layer folders of a dataset folder, sorted by name as strings; hidden folders (".partial-*", ...) are skipped.</summary>
    public static IReadOnlyList<string> LayerFolders(string datasetFolder) =>
        Directory.EnumerateDirectories(datasetFolder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToArray();

    private TopImagesSample[] TopImagesOrder(AnnotationTable? annotations)
    {
        var byUnit = annotations?.Units.ToDictionary(u => (u.Layer, u.Unit), u => (IReadOnlyList<string>)u.Rows.Select(r => r.Summary).ToArray());
        return Layers.SelectMany(layer => Enumerable.Range(0, layer.UnitCount).Select(position =>
                new TopImagesSample(Name, layer, position,
                    byUnit?.GetValueOrDefault((layer.Name, layer.Units[position])) ?? [])))
            .ToArray();
    }

    private TopImagesSample[] CsvOrder(AnnotationTable annotations, int count) =>
        annotations.Kept(count)
            .Select(unit =>
            {
                var layer = _layersByName[unit.Layer];
                return new TopImagesSample(Name, layer, layer.PositionOf(unit.Unit), unit.Rows.Select(r => r.Summary).ToArray());
            })
            .ToArray();

    private static void CheckRowsExist(AnnotationTable annotations, IReadOnlyList<TopImagesLayer> layers)
    {
        var byName = layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        foreach (var row in annotations.Rows)
        {
            if (!byName.TryGetValue(row.Layer, out var layer))
                throw MilanInputException.InFile(annotations.Path,
                    $"line {row.Line}, field '{AnnotationTable.LayerColumn}': layer '{row.Layer}' has no folder (layers: {string.Join(", ", byName.Keys)})");
            if (layer.PositionOf(row.Unit) < 0)
                throw MilanInputException.InFile(annotations.Path,
                    $"line {row.Line}, field '{AnnotationTable.UnitColumn}': layer '{row.Layer}' has no unit {row.Unit} "
                    + (File.Exists(Path.Combine(layer.Folder, TopImagesLayer.UnitsFile)) ? $"(its {TopImagesLayer.UnitsFile} lists {layer.UnitCount} units)" : $"(units 0..{layer.UnitCount - 1})"));
        }
    }
}
