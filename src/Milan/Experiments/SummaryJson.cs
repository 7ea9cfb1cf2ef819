using System.Text.Json;
using System.Text.Json.Serialization;
using Milan.IO;

namespace Milan.Experiments;

/// <summary>
/// The key numbers of an application as summary.json in its results folder, for reports and
/// notebooks: snake_case names, indented, NaN (e.g. precision with nothing flagged) written as null.
/// </summary>
public static class SummaryJson
{
    public const string FileName = "summary.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write<T>(string folder, T report) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), ToJson(report));

    public static string ToJson<T>(T report) => JsonSerializer.Serialize(report, Options) + "\n";

    public static T Read<T>(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "missing; run the application first");
        return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
               ?? throw MilanInputException.InFile(path, "empty summary");
    }

    /// <summary>NaN as null, so the JSON stays standard.</summary>
    public static double? Number(double value) => double.IsNaN(value) ? null : value;
}
