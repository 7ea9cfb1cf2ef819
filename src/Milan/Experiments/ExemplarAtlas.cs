using Milan.Annotations;
using Milan.Datasets;
using Milan.Datasets.Photos;
using Milan.Evaluation;
using Milan.Exemplars;
using Milan.IO;
using Milan.Visualization.Atlas;

namespace Milan.Experiments;

/// <summary>
/// The atlas (<see cref="AtlasSite"/>) of exemplar datasets: every layer folder of each, with the
/// annotations in its annotations.csv (or the file given, for a single dataset) and the descriptions
/// of a descriptions file (<see cref="DescriptionsFile"/>; without a model column it must cover a
/// single dataset, with one its rows are matched to the datasets' names, e.g. resnet18/world-a).
/// When a dataset's exemplars.json names an image folder that is still there with as many images,
/// each unit's top images are named by their file (with the licence from the folder's manifest.csv,
/// as <c>milan data photos</c> writes it).
/// </summary>
public static class ExemplarAtlas
{
    public static void Write(IReadOnlyList<DatasetKey> datasets, string outFolder, string? descriptionsFile = null, string? annotationsFile = null,
                             IProgress<WorkProgress>? progress = null, string? dataRoot = null)
    {
        if (datasets.Count == 0) throw new MilanInputException("no exemplar dataset to draw an atlas of");
        if (annotationsFile is not null && datasets.Count > 1)
            throw new MilanInputException("--annotations names one file for one dataset; with several, each dataset's own annotations.csv is used");
        var descriptions = descriptionsFile is null ? null : Descriptions(descriptionsFile, datasets);
        var layers = new List<ExemplarAtlasLayer>();
        try
        {
            foreach (var dataset in datasets)
            {
                string annotationsPath = annotationsFile ?? Path.Combine(dataset.Folder, AnnotationTable.FileName);
                var annotations = File.Exists(annotationsPath) || annotationsFile is not null
                    ? AnnotationTable.Read(annotationsPath).Units.ToDictionary(u => (u.Layer, u.Unit), u => u.Rows.Select(r => r.Summary).ToArray())
                    : [];
                var imageNames = ImageNames(dataset.Folder, dataRoot ?? MilanRoots.Data);
                var folders = TopImagesDataset.LayerFolders(dataset.Folder).Where(f => File.Exists(Path.Combine(f, TopImagesLayer.MasksFile))).ToArray();
                if (folders.Length == 0)
                    throw MilanInputException.InFile(dataset.Folder, $"no layer folders (expected <layer>/{TopImagesLayer.MasksFile} for each layer)");
                foreach (var folder in folders)
                {
                    var layer = TopImagesLayer.Open(folder, Path.GetFileName(folder));
                    try
                    {
                        string canonical = LayerNames.Canonical(layer.Name);
                        var units = layer.Units.Select((unit, position) => new AtlasUnit(
                            unit,
                            descriptions?.GetValueOrDefault((dataset.Name, canonical, unit)),
                            annotations.GetValueOrDefault((canonical, unit)) ?? [],
                            layer.ImageIds(position), layer.Activations(position),
                            imageNames is null ? null : layer.ImageIds(position)?.Select(id => id >= 0 && id < imageNames.Count ? imageNames[id] : "").ToArray())).ToArray();
                        layers.Add(new ExemplarAtlasLayer(dataset.Name, layer, units));
                    }
                    catch
                    {
                        layer.Dispose();
                        throw;
                    }
                }
            }
            if (descriptions is not null)
            {
                var shown = layers.SelectMany(l => l.Units.Select(u => (l.Model, LayerNames.Canonical(l.Name), u.Unit))).ToHashSet();
                if (!descriptions.Keys.Any(shown.Contains))
                    throw MilanInputException.InFile(descriptionsFile!, "no row describes a unit of the atlas (check the model, layer and unit columns)");
            }
            AtlasSite.Write(outFolder, layers, progress);
        }
        finally
        {
            foreach (var layer in layers) layer.Dispose();
        }
    }

    /// <summary>The names of the images the dataset's ids index, or null when its image folder is not known or not there as it was.</summary>
    private static IReadOnlyList<string>? ImageNames(string datasetFolder, string dataRoot)
    {
        if (ExemplarManifest.Read(datasetFolder)?.Settings is not { } settings) return null;
        string folder = RootedPath.Resolve(settings.ImageSource, dataRoot);
        if (!Directory.Exists(folder) || Directory.GetDirectories(folder).Length == 0) return null;
        IReadOnlyList<string> files;
        try
        {
            files = new ImageFolderSource(folder).Files;
        }
        catch (MilanInputException)
        {
            return null;   // not an image folder (e.g. a world split of .npy files): the names are optional
        }
        if (files.Count != settings.ImageCount) return null;
        string manifest = Path.Combine(folder, PhotoCollection.ManifestFile);
        var licences = new Dictionary<string, string>();
        if (File.Exists(manifest))
        {
            var records = CsvFile.Read(manifest);
            var header = CsvHeader.First(manifest, records, "image,package,source,license");
            int image = header.Require("image"), license = header.Require("license");
            foreach (var record in records.Skip(1))
            {
                header.CheckLength(record, image, license);
                licences[record.Fields[image]] = record.Fields[license];
            }
        }
        return files.Select(f =>
        {
            string name = Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/');
            return licences.TryGetValue(name, out var licence) ? $"{name} ({licence})" : name;
        }).ToArray();
    }

    private static Dictionary<(string Model, string Layer, int Unit), string> Descriptions(string path, IReadOnlyList<DatasetKey> datasets)
    {
        var rows = DescriptionsFile.ReadRows(path);
        if (datasets.Count > 1 && rows.Any(r => r.Model is null))
            throw MilanInputException.InFile(path, "no 'model' column, but the atlas shows several datasets; add the column (as 'milan describe' over several datasets writes it)");
        return rows.ToDictionary(r => (r.Model ?? datasets[0].Name, r.Layer, r.Unit), r => r.Description);
    }
}
