using System.Text.Json.Nodes;
using System.Text.Json;
using Milan.Evaluation;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Experiments;

/// <summary>
/// A finished table: its rows, the descriptions every method gave, the per-layer detector fractions
/// of NetDissect (Table 2), timings, and the settings; written as a folder of CSV, plotly.js chart pages and
/// summary.json.
/// </summary>
public sealed record TableResult(
    string Name,
    IReadOnlyList<TableRow> Rows,
    IReadOnlyList<(string Model, string Layer, int Unit, string Method, int Seed, string Description)> Descriptions,
    IReadOnlyList<(string Model, string Layer, int Units, double Fraction)> Detectors,
    IReadOnlyList<DissectionResult> Dissections,
    IReadOnlyDictionary<string, double> Seconds,
    TableSettings Settings,
    string MetricModel)
{
    public const string WorldData = "the bundled synthetic world with simulated annotators (not the paper's data; not human annotations)";

    /// <summary>What the units and annotations are, as summary.json and the figures say it.</summary>
    public string Data { get; init; } = WorldData;

    /// <summary>The captioner's encoder (its description key), when the summary should record it.</summary>
    public string? Encoder { get; init; }

    /// <summary>Writes the folder atomically: &lt;name&gt;.csv, &lt;name&gt;-descriptions.csv, &lt;name&gt;-&lt;metric&gt;.html per metric, detectors.csv and dissection-*.csv (Table 2), summary.json.</summary>
    public void Write(string folder) => AtomicDirectory.Create(folder, temporary =>
    {
        CsvFile.Write(Path.Combine(temporary, Name + ".csv"),
            ["experiment", "train", "test", "method", "metric", "value", "lower", "upper", "units", "seeds", "seed_min", "seed_max", "unit_se", "seed_se"],
            Rows.Select(r => new object?[] { r.Experiment, r.Train, r.Test, r.Method, r.Metric, r.Interval.Value, r.Interval.Lower, r.Interval.Upper,
                                             r.Interval.Count, r.Seeds, r.SeedMin, r.SeedMax, r.UnitStandardError, r.SeedStandardError }));
        CsvFile.Write(Path.Combine(temporary, Name + "-descriptions.csv"), ["model", "layer", "unit", "method", "seed", "description"],
            Descriptions.Select(d => new object?[] { d.Model, d.Layer, d.Unit, d.Method, d.Seed, d.Description }));
        if (Detectors.Count > 0)
            CsvFile.Write(Path.Combine(temporary, "detectors.csv"), ["model", "layer", "units", "fraction_iou_at_least_threshold"],
                Detectors.Select(d => new object?[] { d.Model, d.Layer, d.Units, d.Fraction }));
        foreach (var dissection in Dissections)
            dissection.WriteCsv(Path.Combine(temporary, $"dissection-{dissection.Model.Replace('/', '-')}.csv"));

        foreach (var metric in Rows.Select(r => r.Metric).Distinct())
            Figure(metric).SaveHtml(Path.Combine(temporary, $"{Name}-{metric}.html"));
        AtomicFile.WriteAllText(Path.Combine(temporary, "summary.json"), Summary().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    });

    /// <summary>Grouped bars per method over the table's test sets, with the 95% intervals (units and seeds) as error bars.</summary>
    public Figure Figure(string metric)
    {
        var rows = Rows.Where(r => r.Metric == metric).ToList();
        var categories = rows.Select(Category).Distinct().ToList();
        var series = rows.Select(r => r.Method).Distinct().Select(method =>
        {
            var byCategory = categories.Select(c => rows.FirstOrDefault(r => r.Method == method && Category(r) == c)).ToList();
            return new BarSeries(method,
                byCategory.Select(r => r?.Interval.Value ?? double.NaN).ToList(),
                byCategory.Select(r => r?.Interval.Lower ?? double.NaN).ToList(),
                byCategory.Select(r => r?.Interval.Upper ?? double.NaN).ToList());
        }).ToList();
        string title = $"{Name}: {metric} against the annotations of {(Data == WorldData ? "the bundled world" : Data)} (95% intervals over units and training seeds; {MetricModel})";
        return Charts.Bars(title, metric, categories, series);
    }

    private string Category(TableRow r) => Name == "table2" ? r.Test : $"{r.Experiment}: {r.Train} → {r.Test}";

    /// <summary>The key numbers: every row's value and interval by metric, the settings and the timings.</summary>
    public JsonObject Summary()
    {
        var rows = new JsonArray();
        foreach (var r in Rows)
            rows.Add(new JsonObject
            {
                ["experiment"] = r.Experiment, ["train"] = r.Train, ["test"] = r.Test, ["method"] = r.Method, ["metric"] = r.Metric,
                ["value"] = Round(r.Interval.Value), ["lower"] = Round(r.Interval.Lower), ["upper"] = Round(r.Interval.Upper),
                ["units"] = r.Interval.Count, ["seeds"] = r.Seeds, ["seed_min"] = Round(r.SeedMin), ["seed_max"] = Round(r.SeedMax),
                ["unit_se"] = Round(r.UnitStandardError), ["seed_se"] = Round(r.SeedStandardError),
            });
        var detectors = new JsonArray();
        foreach (var d in Detectors)
            detectors.Add(new JsonObject { ["model"] = d.Model, ["layer"] = d.Layer, ["units"] = d.Units, ["fraction_iou_at_least_0.04"] = Round(d.Fraction) });
        var seconds = new JsonObject();
        foreach (var (k, v) in Seconds) seconds[k] = Math.Round(v, 1);
        var summary = new JsonObject
        {
            ["table"] = Name,
            ["data"] = Data,
            ["bertscore_model"] = MetricModel,
            ["settings"] = SettingsNode(Settings),
            ["rows"] = rows,
            ["detectors"] = detectors,
            ["seconds"] = seconds,
        };
        if (Encoder is not null) summary["encoder"] = Encoder;
        return summary;
    }

    /// <summary>The settings as summary.json records them (also how a finished table is matched to the settings asked for).</summary>
    public static JsonNode SettingsNode(TableSettings settings) => JsonSerializer.SerializeToNode(new
    {
        keys = settings.Keys, seeds = settings.Seeds, max_epochs = settings.MaxEpochs, patience = settings.Patience,
        captioner_stops_on = settings.CaptionerStopsOnBleu ? "validation BLEU" : "validation loss",
        // Tables made before every description had to have a word (FirstWordRequired) are made again.
        empty_descriptions = "not allowed",
        hidden_size = settings.HiddenSize, beam_size = settings.BeamSize, within_network_hold_out = settings.WithinNetworkHoldOut,
        resamples = settings.Resamples, interval = TableSettings.IntervalMethod, top_quantile = settings.Dissection.TopQuantile, iou_threshold = settings.Dissection.IouThreshold,
    })!;

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : double.NaN;
}
