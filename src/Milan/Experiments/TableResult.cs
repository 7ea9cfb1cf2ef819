using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Milan.Evaluation;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Experiments;

/// <summary>
/// A finished table: its rows, the descriptions every method gave, the per-layer detector fractions
/// of NetDissect (Table 2), timings, and the settings; written as a folder of CSV, Plotly HTML and
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
    /// <summary>Writes the folder atomically: &lt;name&gt;.csv, &lt;name&gt;-descriptions.csv, &lt;name&gt;-&lt;metric&gt;.html per metric, detectors.csv and dissection-*.csv (Table 2), summary.json.</summary>
    public void Write(string folder) => AtomicDirectory.Create(folder, temporary =>
    {
        var csv = new StringBuilder("experiment,train,test,method,metric,value,lower,upper,units,seeds,seed_min,seed_max\n");
        foreach (var r in Rows)
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Experiment},{Agreement.Csv(r.Train)},{Agreement.Csv(r.Test)},{Agreement.Csv(r.Method)},{r.Metric},{r.Interval.Value:R},{r.Interval.Lower:R},{r.Interval.Upper:R},{r.Interval.Count},{r.Seeds},{r.SeedMin:R},{r.SeedMax:R}\n");
        AtomicFile.WriteAllText(Path.Combine(temporary, Name + ".csv"), csv.ToString());

        var descriptions = new StringBuilder("model,layer,unit,method,seed,description\n");
        foreach (var d in Descriptions)
            descriptions.Append(CultureInfo.InvariantCulture, $"{Agreement.Csv(d.Model)},{Agreement.Csv(d.Layer)},{d.Unit},{Agreement.Csv(d.Method)},{d.Seed},{Agreement.Csv(d.Description)}\n");
        AtomicFile.WriteAllText(Path.Combine(temporary, Name + "-descriptions.csv"), descriptions.ToString());

        if (Detectors.Count > 0)
        {
            var detectors = new StringBuilder("model,layer,units,fraction_iou_at_least_threshold\n");
            foreach (var d in Detectors) detectors.Append(CultureInfo.InvariantCulture, $"{Agreement.Csv(d.Model)},{Agreement.Csv(d.Layer)},{d.Units},{d.Fraction:R}\n");
            AtomicFile.WriteAllText(Path.Combine(temporary, "detectors.csv"), detectors.ToString());
        }
        foreach (var dissection in Dissections)
            dissection.WriteCsv(Path.Combine(temporary, $"dissection-{dissection.Model.Replace('/', '-')}.csv"));

        foreach (var metric in Rows.Select(r => r.Metric).Distinct())
            Figure(metric).SaveHtml(Path.Combine(temporary, $"{Name}-{metric}.html"));
        AtomicFile.WriteAllText(Path.Combine(temporary, "summary.json"), Summary().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    });

    /// <summary>Grouped bars per method over the table's test sets, with the 95% intervals as error bars.</summary>
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
        string title = $"{Name}: {metric} against the annotations of the bundled world (95% bootstrap intervals; {MetricModel})";
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
                ["units"] = r.Interval.Count, ["seeds"] = r.Seeds,
            });
        var detectors = new JsonArray();
        foreach (var d in Detectors)
            detectors.Add(new JsonObject { ["model"] = d.Model, ["layer"] = d.Layer, ["units"] = d.Units, ["fraction_iou_at_least_0.04"] = Round(d.Fraction) });
        var seconds = new JsonObject();
        foreach (var (k, v) in Seconds) seconds[k] = Math.Round(v, 1);
        return new JsonObject
        {
            ["table"] = Name,
            ["data"] = "the bundled synthetic world with simulated annotators (not the paper's data; not human annotations)",
            ["bertscore_model"] = MetricModel,
            ["settings"] = SettingsNode(Settings),
            ["rows"] = rows,
            ["detectors"] = detectors,
            ["seconds"] = seconds,
        };
    }

    /// <summary>The settings as summary.json records them (also how a finished table is matched to the settings asked for).</summary>
    public static JsonNode SettingsNode(TableSettings settings) => JsonSerializer.SerializeToNode(new
    {
        keys = settings.Keys, seeds = settings.Seeds, max_epochs = settings.MaxEpochs, patience = settings.Patience,
        hidden_size = settings.HiddenSize, beam_size = settings.BeamSize, within_network_hold_out = settings.WithinNetworkHoldOut,
        resamples = settings.Resamples, top_quantile = settings.Dissection.TopQuantile, iou_threshold = settings.Dissection.IouThreshold,
    })!;

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 4) : double.NaN;
}
