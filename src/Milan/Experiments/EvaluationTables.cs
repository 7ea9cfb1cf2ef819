using System.Text.Json.Nodes;
using Milan.Evaluation;
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
            "table3" => (Func<WorldBench, TableSettings, DescriptionMetrics, IProgress<WorkProgress>?, TableResult>)GeneralizationTables.Table3,
            _ => throw new MilanInputException($"table '{table}': expected one of {string.Join(", ", Names)}"),
        };
        var settings = TableSettings.For(profile);
        string folder = Folder(resultsRoot, table);
        string summaryPath = Path.Combine(folder, "summary.json");
        if (!force && File.Exists(summaryPath)
            && JsonNode.Parse(File.ReadAllText(summaryPath)) is JsonObject existing
            && JsonNode.DeepEquals(existing["settings"], TableResult.SettingsNode(settings)))
            return (existing, true);

        using var bench = WorldBench.Open(settings.Keys, dataRoot, modelsRoot, Path.Combine(resultsRoot, "evaluation", "cache"), device, progress);
        var result = run(bench, settings, new DescriptionMetrics(), progress);
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
