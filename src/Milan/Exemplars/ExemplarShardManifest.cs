using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.Datasets;
using Milan.IO;
using Milan.Stats;

namespace Milan.Exemplars;

/// <summary>
/// shard.json in a shard folder (<see cref="ExemplarShards"/>): which shard of which run it holds. Every
/// shard of a run has the same <see cref="Settings"/> (as exemplars.json records them), layers, batch size
/// and quantile choice; <see cref="Shard"/> and the image range tell them apart.
/// </summary>
public sealed record ExemplarShardManifest(
    ExemplarSettings Settings,
    IReadOnlyList<ExemplarLayer> Layers,
    int BatchSize,
    string QuantileMethod,
    long ExactQuantileMaxBytes,
    int Shard,
    int Shards,
    int FirstImage,
    int EndImage)
{
    public const string FileName = "shard.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public static ExemplarShardManifest For(ExemplarOptions options, IImageSource source, IReadOnlyList<ExemplarLayer> layers, ShardSlice slice)
    {
        var (first, end) = slice.Images(source.Count, options.BatchSize);
        return new(ExemplarManifest.For(options, source).Settings, layers, options.BatchSize, options.QuantileMethod.ToString().ToLowerInvariant(),
                   options.ExactQuantileMaxBytes, slice.Index, slice.Count, first, end);
    }

    /// <summary>The options of the run, as the merge needs them (contact sheets are the merge's choice).</summary>
    public ExemplarOptions Options(bool contactSheets) => new()
    {
        K = Settings.K,
        Quantile = Settings.Quantile,
        QuantilePosition = QuantilePositions.Parse(Settings.QuantilePosition),
        QuantileMethod = Enum.Parse<QuantileMethod>(QuantileMethod, ignoreCase: true),
        ExactQuantileMaxBytes = ExactQuantileMaxBytes,
        SketchCapacity = Settings.SketchCapacity,
        Seed = Settings.Seed,
        Units = Settings.Units,
        BatchSize = BatchSize,
        OutputSize = Settings.OutputSize,
        ContactSheets = contactSheets,
        Normalization = new ImageNormalization(Settings.NormalizationMean, Settings.NormalizationStd),
        Model = Settings.Model,
    };

    /// <summary>The manifest of a shard folder; an input error naming the file when it is missing or malformed.</summary>
    public static ExemplarShardManifest Read(string shardFolder)
    {
        string path = Path.Combine(shardFolder, FileName);
        if (!File.Exists(path))
            throw MilanInputException.InFile(shardFolder, $"no {FileName}: not a finished shard of 'milan exemplars --shard'");
        try
        {
            return JsonSerializer.Deserialize<ExemplarShardManifest>(File.ReadAllText(path), Json)
                   ?? throw MilanInputException.InFile(path, "empty shard manifest");
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"not a valid shard manifest ({e.Message})");
        }
    }

    public void Write(string shardFolder) => AtomicFile.WriteAllText(Path.Combine(shardFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Whether another shard belongs to the same run: everything but the shard index and image range agrees.</summary>
    public bool SameRun(ExemplarShardManifest other) =>
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode(this with { Shard = 0, FirstImage = 0, EndImage = 0 }, Json),
                            JsonSerializer.SerializeToNode(other with { Shard = 0, FirstImage = 0, EndImage = 0 }, Json));

    /// <summary>The file holding a layer's mergeable state in a shard folder.</summary>
    public static string LayerStateFile(string shardFolder, string layer) => Path.Combine(shardFolder, layer + ".safetensors");
}
