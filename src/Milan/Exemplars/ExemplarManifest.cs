using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.Datasets;
using Milan.IO;
using Milan.Stats;

namespace Milan.Exemplars;

/// <summary>
/// exemplars.json at the top of an exemplar folder: the settings every layer in it was computed with,
/// and what was found per layer. A run that would add layers computed differently is refused. Its
/// content is recorded in the folder's seal (<see cref="StageSeal"/>) each time it is written.
/// </summary>
public sealed record ExemplarManifest(ExemplarSettings Settings, IReadOnlyDictionary<string, ExemplarLayerInfo> Layers)
{
    public const string FileName = "exemplars.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public static ExemplarManifest For(ExemplarOptions options, IImageSource source) =>
        new(new ExemplarSettings(
                options.Model, options.ImageSourceName ?? RootedPath.StoreIfPath(source.Description, MilanRoots.Data)!, source.Count, source.ImageSize, options.OutputSizeFor(source),
                options.K, options.Quantile, QuantilePositions.Name(options.QuantilePosition), options.SketchCapacity,
                options.Seed, options.Units, options.Normalization.Mean, options.Normalization.Std),
            new SortedDictionary<string, ExemplarLayerInfo>(StringComparer.Ordinal));

    /// <summary>The manifest of <paramref name="outFolder"/>, or null when it has none.</summary>
    public static ExemplarManifest? Read(string outFolder)
    {
        string path = Path.Combine(outFolder, FileName);
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ExemplarManifest>(InputFile.ReadAllText(path), Json)
                   ?? throw MilanInputException.InFile(path, "empty manifest");
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"not a valid exemplar manifest ({e.Message})");
        }
    }

    /// <summary>Throws an input error naming each differing setting when the folder was made with other settings.</summary>
    public void CheckCompatible(string outFolder)
    {
        var existing = Read(outFolder);
        if (existing is null) return;
        var before = JsonSerializer.SerializeToNode(existing.Settings, Json)!.AsObject();
        var now = JsonSerializer.SerializeToNode(Settings, Json)!.AsObject();
        var differences = now
            .Where(p => !JsonNode.DeepEquals(p.Value, before[p.Key]))
            .Select(p => $"{p.Key} {before[p.Key]?.ToJsonString() ?? "null"} -> {p.Value?.ToJsonString() ?? "null"}")
            .ToList();
        if (differences.Count > 0)
            throw MilanInputException.InFile(Path.Combine(outFolder, FileName),
                $"the folder holds exemplars made with other settings ({string.Join("; ", differences)}); use another output folder or delete this one");
    }

    public ExemplarManifest WithLayer(LayerExemplars exemplars)
    {
        var layers = new SortedDictionary<string, ExemplarLayerInfo>(Layers.ToDictionary(), StringComparer.Ordinal)
        {
            [exemplars.Layer] = new ExemplarLayerInfo(
                exemplars.Units.Length, exemplars.LayerUnits, [exemplars.FeatureSize.Height, exemplars.FeatureSize.Width],
                exemplars.QuantileMethod.ToString().ToLowerInvariant(), exemplars.QuantileRankError),
        };
        return this with { Layers = layers };
    }

    /// <summary>Writes the manifest atomically, keeping the entries of layers written by earlier runs.</summary>
    public void Write(string outFolder)
    {
        var earlier = Read(outFolder)?.Layers ?? new Dictionary<string, ExemplarLayerInfo>();
        var layers = new SortedDictionary<string, ExemplarLayerInfo>(earlier.ToDictionary(), StringComparer.Ordinal);
        foreach (var (name, info) in Layers) layers[name] = info;
        AtomicFile.WriteAllText(Path.Combine(outFolder, FileName), JsonSerializer.Serialize(this with { Layers = layers }, Json));
        StageSeal.Record(outFolder, FileName);
    }
}

/// <summary>Settings shared by every layer of an exemplar folder.</summary>
public sealed record ExemplarSettings(
    string Model,
    string ImageSource,
    int ImageCount,
    int ImageSize,
    int OutputSize,
    int K,
    double Quantile,
    string QuantilePosition,
    int SketchCapacity,
    int Seed,
    int? Units,
    float[] NormalizationMean,
    float[] NormalizationStd);

/// <summary>One layer of an exemplar folder: units kept and in the layer, feature map (h, w), how the threshold was computed.</summary>
public sealed record ExemplarLayerInfo(long Units, long LayerUnits, long[] FeatureMap, string QuantileMethod, double QuantileRankError);
