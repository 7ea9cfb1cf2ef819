using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.IO;

namespace Milan.Corpus;

/// <summary>
/// <c>$MILAN_DATA_DIR/world-corpus.json</c>: what the world corpus build made. For each dataset key,
/// the subject model that was dissected and the probed split (whose concept masks the ids index);
/// for each subject, its folder and accuracies. Paths are stored relative to their root (subject
/// folders to MILAN_MODELS_DIR, everything else to MILAN_DATA_DIR) so the roots can move.
/// </summary>
public sealed record WorldCorpusManifest(
    string Profile,
    IReadOnlyDictionary<string, WorldCorpusManifest.Subject> Subjects,
    IReadOnlyDictionary<string, WorldCorpusManifest.Dataset> Datasets)
{
    public const string FileName = "world-corpus.json";
    public const string Format = "milan-world-corpus/1";

    /// <param name="Folder">relative to MILAN_MODELS_DIR, e.g. subjects/resnet18-world-a</param>
    /// <param name="World">the training world, relative to MILAN_DATA_DIR, e.g. world/a/normal</param>
    public sealed record Subject(string Folder, string Architecture, int Width, string World, long Seed, double ValidationAccuracy, double TestAccuracy);

    /// <param name="Probe">the probed split, relative to MILAN_DATA_DIR, e.g. world/a/normal/val</param>
    public sealed record Dataset(string Subject, string Probe, IReadOnlyList<string> Layers, int Units, int Annotations);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string PathIn(string dataRoot) => Path.Combine(dataRoot, FileName);

    /// <summary>The subject folder of a dataset key (absolute, under <paramref name="modelsRoot"/>).</summary>
    public string SubjectFolder(string key, string modelsRoot) => Path.Combine(modelsRoot, Subjects[DatasetOf(key).Subject].Folder);

    /// <summary>The probed split folder of a dataset key (absolute, under <paramref name="dataRoot"/>).</summary>
    public string ProbeSplit(string key, string dataRoot) => Path.Combine(dataRoot, DatasetOf(key).Probe);

    private Dataset DatasetOf(string key) => Datasets.TryGetValue(key, out var dataset)
        ? dataset
        : throw new MilanInputException($"{FileName}: no dataset key '{key}'; the corpus has {string.Join(", ", Datasets.Keys)}");

    public void Write(string dataRoot)
    {
        var node = JsonSerializer.SerializeToNode(this, Json)!.AsObject();
        node.Insert(0, "format", Format);
        AtomicFile.WriteAllText(PathIn(dataRoot), node.ToJsonString(Json));
    }

    /// <summary>The manifest under <paramref name="dataRoot"/>, or null when no corpus was built there.</summary>
    public static WorldCorpusManifest? Read(string dataRoot)
    {
        string path = PathIn(dataRoot);
        if (!File.Exists(path)) return null;
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty document");
            string? format = node["format"]?.GetValue<string>();
            if (format != Format) throw MilanInputException.InFile(path, $"field 'format' is '{format}', expected '{Format}'");
            node.Remove("format");
            var manifest = node.Deserialize<WorldCorpusManifest>(Json) ?? throw new JsonException("empty document");
            if (manifest.Subjects is null || manifest.Datasets is null)
                throw MilanInputException.InFile(path, "fields 'subjects' and 'datasets' are required");
            return manifest;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw MilanInputException.InFile(path, $"not a valid world corpus manifest ({e.Message})");
        }
    }
}
