using System.Text;
using System.Text.Json;
using Milan.Datasets;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.World;

/// <summary>
/// Generates a world on disk: per split an <see cref="NpyImageSource"/> folder (images.npy,
/// labels.npy, classes.json) plus scenes.jsonl (the scene record of every image) and, for the mask
/// splits, concepts.npy (N, 6, S, S) label maps; manifest.json at the root. Each split folder is
/// built under a temporary name and renamed when complete (sealed: <see cref="StageSeal"/>); an
/// existing split is skipped after its seal checks, and a damaged one (a file deleted or changed) is
/// generated again, so an interrupted or damaged world is completed by the next run. Every image
/// depends only on (seed, dataset, split, index), so the same settings give the same bytes, and
/// variants share their scenes with the normal world.
/// </summary>
public static class WorldGenerator
{
    public const string ScenesFile = "scenes.jsonl";
    public const string ConceptsFile = "concepts.npy";

    /// <summary>Where a world lives by default: MILAN_DATA_DIR/world/&lt;dataset&gt;/&lt;variant&gt;.</summary>
    public static string DefaultFolder(string dataset, WorldVariant variant) =>
        Path.Combine(MilanRoots.Data, "world", dataset, variant.FolderName);

    /// <summary>Generates the missing splits of a world into <paramref name="folder"/>; returns its manifest.</summary>
    public static WorldManifest Generate(WorldDataset dataset, WorldVariant variant, WorldSettings settings, string folder,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellation = default)
    {
        settings.Validate();
        var manifest = WorldManifest.Create(dataset, variant, settings);
        string manifestJson = manifest.ToJson();
        string manifestPath = Path.Combine(folder, WorldManifest.FileName);
        Directory.CreateDirectory(folder);
        AtomicDirectory.RemoveLeftovers(folder);
        foreach (var damage in DiscardDamagedSplits(folder))
            progress?.Report(new WorkProgress($"world {dataset.Name}/{variant.FolderName} {Path.GetFileName(damage.Folder)}", 0, 1, damage.Message));
        if (File.Exists(manifestPath))
        {
            if (File.ReadAllText(manifestPath) != manifestJson)
                throw MilanInputException.InFile(manifestPath, "this folder holds a world generated with other settings (seed, sizes, variant or generator version); delete it or choose another --out");
        }
        else
        {
            AtomicFile.WriteAllText(manifestPath, manifestJson);
            StageSeal.Record(folder, WorldManifest.FileName);
        }

        foreach (var split in WorldSettings.SplitNames)
        {
            string splitFolder = Path.Combine(folder, split);
            if (Directory.Exists(splitFolder) || settings.Count(split) == 0) continue;
            AtomicDirectory.Create(splitFolder, temporary =>
                WriteSplit(temporary, dataset, variant, settings, split, progress, cancellation));
        }
        return manifest;
    }

    /// <summary>
    /// Checks a world folder against its seals: its manifest.json (a changed or deleted manifest is an
    /// input error naming it: the splits' settings cannot be told any more) and every finished split,
    /// deleting the damaged splits so that <see cref="Generate"/> makes them again. Returns what was damaged.
    /// </summary>
    public static IReadOnlyList<StageDamage> DiscardDamagedSplits(string folder, SealCheck mode = SealCheck.Fast)
    {
        if (!Directory.Exists(folder)) return [];
        var recorded = StageSeal.Read(folder);
        var splits = WorldSettings.SplitNames.Select(s => Path.Combine(folder, s)).Where(Directory.Exists).ToList();
        if ((recorded?.ContainsKey(WorldManifest.FileName) == true || File.Exists(Path.Combine(folder, WorldManifest.FileName))) && splits.Count > 0)
        {
            var problems = StageSeal.Check(folder, mode, [WorldManifest.FileName]);
            if (problems.Count > 0)
                throw MilanInputException.InFile(problems[0].File,
                    $"{problems[0].What} since the world was generated, so its splits' settings are unknown; delete {folder} (or rerun with --force-stage worlds) to generate it again");
        }
        return splits.Select(s => StageSeal.DiscardIfDamaged(s, mode)).OfType<StageDamage>().ToList();
    }

    /// <summary>The scene records of a split (scenes.jsonl), in image order; every split has them, masks or not.</summary>
    public static Scene[] ReadScenes(string splitFolder) => WorldConceptMasks.ReadScenes(Path.Combine(splitFolder, ScenesFile));

    /// <summary>The scene of image <paramref name="index"/> of a split, with the variant's text if any.</summary>
    public static Scene SceneAt(WorldDataset dataset, WorldVariant variant, long seed, string split, int index)
    {
        int label = index % dataset.Classes.Count;
        var scene = SceneSampler.Sample(dataset, label, new WorldRandom(WorldRandom.Derive(seed, dataset.Name, split, index)));
        if (variant.Kind != WorldVariant.SpuriousTextKind) return scene;

        var random = new WorldRandom(WorldRandom.Derive(seed, dataset.Name, split, index, "spurious-text"));
        if (split == "test")
        {
            int other = (label + 1 + random.Next(dataset.Classes.Count - 1)) % dataset.Classes.Count;
            return scene.WithText(SpuriousText(dataset.Classes[other].Name, scene));
        }
        return random.Chance(variant.SpuriousFraction) ? scene.WithText(SpuriousText(scene.ClassName, scene)) : scene;
    }

    /// <summary>Renders a scene as the variant shows it (faces blurred in the faces-blurred variant).</summary>
    public static RenderedScene Render(Scene scene, WorldVariant variant, int size)
    {
        var rendered = SceneRenderer.Render(scene, size);
        return variant.Kind == WorldVariant.FacesBlurredKind
            ? rendered with { Image = FaceBlur.Apply(rendered.Image, size, scene) }
            : rendered;
    }

    /// <summary>The class name in the top-left corner, black or white against the background there, shrunk to fit 70% of the width.</summary>
    internal static SceneText SpuriousText(string word, Scene scene)
    {
        const int reference = 256;
        double fontSize = 0.15;
        double width = SceneRenderer.TextBox(new SceneText(word, "black", 0, 0, fontSize, true), reference).Width / reference;
        if (width > 0.7) fontSize *= 0.7 / width;
        string under = scene.Background[0].Colour;
        string colour = Shades.Luminance(Shades.Exact(under)) > 0.5 ? "black" : "white";
        return new SceneText(word, colour, 0.03, 0.03, Math.Round(fontSize, 4), true);
    }

    private static void WriteSplit(string folder, WorldDataset dataset, WorldVariant variant, WorldSettings settings, string split,
        IProgress<WorkProgress>? progress, CancellationToken cancellation)
    {
        int count = settings.Count(split), size = settings.ImageSize;
        bool masks = settings.MaskSplits.Contains(split);
        string task = $"world {dataset.Name}/{variant.FolderName} {split}";
        using var images = new NpyStreamWriter(Path.Combine(folder, NpyImageSource.ImagesFile), NpyType.UInt8, count, 3, size, size);
        using var concepts = masks ? new NpyStreamWriter(Path.Combine(folder, ConceptsFile), NpyType.UInt8, count, ConceptLayer.Count, size, size) : null;
        var labels = new long[count];
        var scenes = new StringBuilder();
        const int chunk = 64;
        progress?.Report(new WorkProgress(task, 0, count));
        for (int start = 0; start < count; start += chunk)
        {
            cancellation.ThrowIfCancellationRequested();
            int n = Math.Min(chunk, count - start);
            var batch = new (Scene Scene, RenderedScene Rendered)[n];
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellation }, k =>
            {
                var scene = SceneAt(dataset, variant, settings.Seed, split, start + k);
                batch[k] = (scene, Render(scene, variant, size));
            });
            using (var imageChunk = empty([n, 3, size, size], ScalarType.Byte))
            {
                imageChunk.bytes = batch.SelectMany(b => b.Rendered.Image).ToArray();
                images.Append(imageChunk);
            }
            if (concepts is not null)
            {
                using var layerChunk = empty([n, ConceptLayer.Count, size, size], ScalarType.Byte);
                layerChunk.bytes = batch.SelectMany(b => b.Rendered.Layers).ToArray();
                concepts.Append(layerChunk);
            }
            for (int k = 0; k < n; k++)
            {
                labels[start + k] = batch[k].Scene.Label;
                scenes.Append(JsonSerializer.Serialize(batch[k].Scene, WorldJson.Compact)).Append('\n');
            }
            progress?.Report(new WorkProgress(task, start + n, count));
        }
        images.Complete();
        concepts?.Complete();
        Npy.Write<long>(Path.Combine(folder, NpyImageSource.LabelsFile), labels, count);
        AtomicFile.WriteAllText(Path.Combine(folder, NpyImageSource.ClassesFile), JsonSerializer.Serialize(dataset.ClassNames));
        AtomicFile.WriteAllText(Path.Combine(folder, ScenesFile), scenes.ToString());
    }
}
