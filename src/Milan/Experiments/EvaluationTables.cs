using System.Text.Json.Nodes;
using Milan.Evaluation;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// The Table 2 and Table 3 analogues as <c>milan reproduce</c> and notebook 02 use them: each written
/// to <c>&lt;results&gt;/evaluation/&lt;table&gt;</c> with the profile's settings, and reused when that
/// folder's summary.json was made with the same settings (MILAN trainings and features are cached in
/// <c>&lt;results&gt;/evaluation/cache</c>, as with <c>milan experiment table2|table3</c>).
/// </summary>
public static class EvaluationTables
{
    public static IReadOnlyList<string> Names { get; } = ["table2", "table3"];

    public static string Folder(string resultsRoot, string table) => Path.Combine(resultsRoot, "evaluation", table);

    /// <summary>The table's summary.json, computing and writing the table first unless an equal-settings one exists (or <paramref name="force"/>).</summary>
    public static (JsonObject Summary, bool Reused) LoadOrRun(string table, string dataRoot, string modelsRoot, string resultsRoot, Profile profile,
        Device device, bool force = false, IProgress<WorkProgress>? progress = null)
    {
        var run = table switch
        {
            "table2" => GeneralizationTables.Table2,
            "table3" => (Func<TableBench, TableSettings, DescriptionMetrics, IProgress<WorkProgress>?, TableResult>)GeneralizationTables.Table3,
            _ => throw new MilanInputException($"table '{table}': expected one of {string.Join(", ", Names)}"),
        };
        var settings = TableSettings.For(profile);
        return LoadOrRun(Folder(resultsRoot, table), new JsonObject { ["settings"] = TableResult.SettingsNode(settings) }, force, () =>
        {
            using var bench = TableBench.Open(settings.Keys, dataRoot, modelsRoot, Path.Combine(resultsRoot, "evaluation", "cache"), device, progress);
            return run(bench, settings, new DescriptionMetrics(), progress);
        }, progress);
    }

    /// <summary>
    /// The summary.json of the table in <paramref name="folder"/> when each field of <paramref name="identity"/>
    /// (e.g. "settings") equals the summary's; otherwise (or with <paramref name="force"/>) runs the table
    /// and writes the folder. A damaged finished folder (its seal does not match) is reported and computed again.
    /// </summary>
    public static (JsonObject Summary, bool Reused) LoadOrRun(string folder, JsonObject identity, bool force, Func<TableResult> run,
        IProgress<WorkProgress>? progress = null)
    {
        string summaryPath = Path.Combine(folder, "summary.json");
        // A finished table whose files were deleted or changed since they were written is computed again.
        if (!force && Directory.Exists(folder) && StageSeal.DiscardIfDamaged(folder) is { } damage)
            progress?.Report(new WorkProgress(Path.GetFileName(folder), 0, 1, damage.Message));
        if (!force && File.Exists(summaryPath)
            && JsonNode.Parse(File.ReadAllText(summaryPath)) is JsonObject existing
            && identity.All(field => JsonNode.DeepEquals(existing[field.Key], field.Value)))
            return (existing, true);
        var result = run();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        result.Write(folder);
        return (result.Summary(), false);
    }

    /// <summary>The BERTScore F rows of a summary (Table 2: every method; Table 3: MILAN only), as "value [lower, upper]".</summary>
    public static IEnumerable<(string Name, string Value)> BertScoreRows(JsonObject summary)
    {
        string table = summary["table"]!.GetValue<string>();
        foreach (var row in summary["rows"]!.AsArray().Select(r => r!.AsObject()))
        {
            if (row["metric"]!.GetValue<string>() != MetricNames.BertScoreF) continue;
            string method = row["method"]!.GetValue<string>();
            if (table == "table3" && method != GeneralizationTables.MilanMethod) continue;
            string what = table == "table2"
                ? $"{table}: {row["test"]}, {method}"
                : $"{table}: {row["experiment"]} {row["train"]} → {row["test"]}";
            yield return (what, FormattableString.Invariant(
                $"{row["value"]!.GetValue<double>():0.000} [{row["lower"]!.GetValue<double>():0.000}, {row["upper"]!.GetValue<double>():0.000}]"));
        }
    }
}
