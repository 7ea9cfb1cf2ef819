using System.Text.Json;

namespace Milan.World;

/// <summary>
/// manifest.json at the root of a generated world: everything needed to interpret (and regenerate)
/// its files: dataset and variant, seed, image size, split sizes, which splits carry masks, the
/// label-map layers, the concept vocabulary and the class definitions.
/// </summary>
public sealed record WorldManifest(
    string Format,
    int GeneratorVersion,
    string Dataset,
    string DatasetSummary,
    string Variant,
    double? SpuriousFraction,
    long Seed,
    int ImageSize,
    IReadOnlyDictionary<string, int> Splits,
    IReadOnlyList<string> MaskSplits,
    IReadOnlyList<string> Layers,
    IReadOnlyList<Concept> Vocabulary,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<SceneClass> Classes,
    string Note)
{
    public const string FileName = "manifest.json";
    public const string CurrentFormat = "milan-world/1";

    /// <summary>Bumped whenever rendering or sampling changes, so an old world on disk is not silently reused.</summary>
    public const int CurrentGeneratorVersion = 2;

    public static WorldManifest Create(WorldDataset dataset, WorldVariant variant, WorldSettings settings) => new(
        CurrentFormat,
        CurrentGeneratorVersion,
        dataset.Name,
        dataset.Summary,
        variant.Kind,
        variant.Kind == WorldVariant.SpuriousTextKind ? variant.SpuriousFraction : null,
        settings.Seed,
        settings.ImageSize,
        WorldSettings.SplitNames.ToDictionary(s => s, settings.Count),
        settings.MaskSplits,
        ConceptLayer.Names,
        ConceptVocabulary.Default.All,
        dataset.ClassNames,
        dataset.Classes,
        "A procedurally generated world (a simulation, not real photographs); concepts.npy holds exact label maps.");

    public string ToJson() => JsonSerializer.Serialize(this, WorldJson.Indented);

    /// <summary>Reads the manifest of a world folder (or of the world above a split folder).</summary>
    public static WorldManifest Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            string parent = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)) ?? folder, FileName);
            if (!File.Exists(parent)) throw MilanInputException.InFile(path, "world manifest not found (generate the world with `milan world generate`)");
            path = parent;
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<WorldManifest>(IO.InputFile.ReadAllText(path), WorldJson.Indented)
                ?? throw MilanInputException.InFile(path, "empty manifest");
            if (manifest.Format != CurrentFormat) throw MilanInputException.InFile(path, $"format '{manifest.Format}', expected '{CurrentFormat}'");
            return manifest;
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"not a world manifest: {e.Message}");
        }
    }
}
