using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Milan.IO;

namespace Milan.Reproduction;

/// <summary>
/// The "notebooks" step: executes every notebook of the notebooks folder, in ordinal name order,
/// with <c>--input profile=…</c> and <c>--input device=…</c> and the roots in its environment, into
/// <c>&lt;results&gt;/notebooks/&lt;name&gt;.ipynb</c>, then renders each as HTML beside it. A notebook
/// is skipped when its run record (<c>&lt;name&gt;.run.json</c>) says it ran without error for the
/// same source, profile and roots and the executed notebook is still there.
/// </summary>
public static class NotebookStep
{
    public static string OutputFolder(string resultsRoot) => Path.Combine(resultsRoot, "notebooks");

    public static StepOutcome Run(ReproductionContext context, string? folder = null)
    {
        folder ??= DefaultFolder();
        var runner = context.Notebooks
                     ?? throw new InvalidOperationException("the notebooks step needs a notebook runner (milan reproduce provides nbclient with the .NET Interactive kernel)");
        var sources = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList()
            : throw MilanInputException.InFile(folder, "notebooks folder not found");
        if (sources.Count == 0) throw MilanInputException.InFile(folder, "no .ipynb notebook in this folder");

        string output = OutputFolder(context.Roots.Results);
        Directory.CreateDirectory(output);
        var numbers = new List<KeyNumber>();
        bool anyRun = false, anyFailed = false;
        var problems = new List<string>();
        int done = 0;
        foreach (string source in sources)
        {
            string name = Path.GetFileNameWithoutExtension(source);
            string executed = Path.Combine(output, name + ".ipynb");
            context.Progress?.Report(new WorkProgress("notebooks", done, sources.Count, name));
            var expected = new NotebookRunRecord(context.Profile.Name, Sha256(source), context.Roots.Data, context.Roots.Models, "", 0, 0, 0, 0);
            var previous = NotebookRunRecord.Read(RecordPath(output, name));
            NotebookRunRecord record;
            if (!context.Forced("notebooks") && previous is { Status: "ok" } && previous.SameInputs(expected) && File.Exists(executed))
            {
                record = previous;
            }
            else
            {
                anyRun = true;
                var outcome = runner.Run(source, executed,
                    [$"profile={context.Profile.Name}", $"device={context.DeviceName}"], context.Roots.Environment);
                record = expected with
                {
                    Status = outcome.Status, CodeCells = outcome.CodeCells, ExecutedCells = outcome.ExecutedCells,
                    FailedCells = outcome.FailedCells, Seconds = outcome.Seconds,
                };
                record.Write(RecordPath(output, name));
                if (!outcome.Succeeded) problems.Add($"{name}: {outcome.Status}{(outcome.Message is null ? "" : " (" + outcome.Message + ")")}");
            }
            anyFailed |= record.Status != "ok";
            string html = Path.Combine(output, name + ".html");
            if (File.Exists(executed) && (!File.Exists(html) || File.GetLastWriteTimeUtc(html) < File.GetLastWriteTimeUtc(executed)))
            {
                string? why = NotebookHtml.Render(executed, html);
                if (why is not null) problems.Add($"{name}: no HTML rendering ({why})");
            }
            numbers.Add(new KeyNumber($"{name} cells with errors", record.FailedCells.ToString(CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{record.Status}; {record.ExecutedCells}/{record.CodeCells} code cells in {record.Seconds:0.0} s")));
            numbers.AddRange(NotebookOutputs.ReadNumbers(context.Roots.Results, name));
            done++;
        }
        context.Progress?.Report(new WorkProgress("notebooks", done, sources.Count));
        string message = problems.Count > 0 ? string.Join("; ", problems) : anyRun ? $"{sources.Count} notebooks" : "every notebook was up to date";
        return new StepOutcome(!anyRun, numbers, anyFailed, message);
    }

    /// <summary>The repository's notebooks/ folder.</summary>
    public static string DefaultFolder() => Path.Combine(
        MilanRoots.Repository ?? throw new MilanInputException("not inside the Milan.Research repository: no notebooks/ folder to run"),
        "notebooks");

    private static string RecordPath(string output, string name) => Path.Combine(output, name + ".run.json");

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>What a notebook run was made from and how it went (<c>&lt;name&gt;.run.json</c> beside the executed notebook).</summary>
public sealed record NotebookRunRecord(
    string Profile, string SourceSha256, string DataRoot, string ModelsRoot,
    string Status, int CodeCells, int ExecutedCells, int FailedCells, double Seconds)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public bool SameInputs(NotebookRunRecord other) =>
        Profile == other.Profile && SourceSha256 == other.SourceSha256 && DataRoot == other.DataRoot && ModelsRoot == other.ModelsRoot;

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The record, or null when there is none or it cannot be read (the notebook then runs again).</summary>
    public static NotebookRunRecord? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<NotebookRunRecord>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
