using System.Text.Json;

namespace Milan.Cli.Notebooks;

/// <summary>
/// What the executor reports for one notebook (its --summary-path JSON; src/Milan.Notebooks,
/// Execution/RunSummary.cs writes it).
/// </summary>
/// <param name="Status">"ok", "failed", "timed-out", "rejected" (malformed notebook), "crashed".</param>
public sealed record NotebookRunSummary(
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
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static NotebookRunSummary Read(string path) =>
        JsonSerializer.Deserialize<NotebookRunSummary>(File.ReadAllText(path), Options)
        ?? throw new JsonException($"{path}: empty notebook run summary");

    /// <summary>The process exit code this outcome stands for: 0 ok, 2 a cell failed, 1 otherwise.</summary>
    public int ExitCode => Status switch
    {
        "ok" => 0,
        "failed" or "timed-out" => 2,
        _ => 1,
    };
}
