using System.Text.Json;
using System.Text.Json.Serialization;

namespace Milan.Cli.Notebooks;

/// <summary>
/// The outcome of one notebook, written as JSON by execute_notebook.py (the nbclient run) and read
/// back by <c>milan notebook run</c> and <c>milan reproduce</c>.
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
    string? Message)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

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
}
