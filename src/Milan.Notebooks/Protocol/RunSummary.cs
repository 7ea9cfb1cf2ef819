using System.Text.Json;
using System.Text.Json.Serialization;

namespace Milan.Notebooks.Protocol;

/// <summary>
/// The outcome of one notebook, written as JSON to <c>--summary-path</c> and read back by
/// <c>milan notebook run</c> (src/Milan.Cli compiles this file too).
/// </summary>
/// <param name="Status">"ok", "failed" (a cell has an error output), "timed-out", "rejected" (malformed notebook), "crashed".</param>
public sealed record RunSummary(
    string Notebook,
    string? Output,
    string Status,
    int CodeCells,
    int ExecutedCells,
    int FailedCells,
    double Seconds,
    string? Message,
    IReadOnlyList<string> Warnings)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static RunSummary FromJson(string json) =>
        JsonSerializer.Deserialize<RunSummary>(json, Options) ?? throw new JsonException("empty run summary");

    public static RunSummary Read(string path) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), Options)
        ?? throw new JsonException($"{path}: empty notebook run summary");

    /// <summary>The process exit code this outcome stands for: 0 ok, 2 a cell failed, 1 otherwise.</summary>
    public int ExitCode => Status switch
    {
        "ok" => 0,
        "failed" or "timed-out" => 2,
        _ => 1,
    };

    /// <summary>Writes atomically, so that a reader never sees half a summary.</summary>
    public void WriteTo(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }
}
