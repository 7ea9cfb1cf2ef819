using System.Text.Json.Nodes;
using Milan.Corpus;
using Milan.Evaluation;
using Milan.Experiments;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

[Trait("Tier", "Integration")]
[Collection(TinyCorpusCollection.Name)]
public class GeneralizationTablesTests(TinyCorpus corpus)
{
    // Two models on two world datasets keep the test short: 2 leave-one-out, 2 within-network and 2 across-dataset trainings.
    private readonly TableSettings _settings = TableSettings.For(Profile.Tiny) with { Keys = ["resnet18/world-a", "resnet18/world-b"], Resamples = 100 };

    [Fact]
    public void TablesRunOnTheTinyCorpusAndShareLeaveOneOutTrainings()
    {
        using var results = new TempFolder();
        using var bench = TableBench.Open(_settings.Keys, corpus.DataRoot, corpus.ModelsRoot, Path.Combine(results.Path, "cache"), CPU);
        var metrics = new DescriptionMetrics();
        var table2 = GeneralizationTables.Table2(bench, _settings, metrics);

        string[] methods = [Agreement.Annotators, GeneralizationTables.CompExpMethod, GeneralizationTables.NetDissectMethod, GeneralizationTables.GreedyMethod, GeneralizationTables.MilanMethod];
        foreach (var key in _settings.Keys)
            foreach (var method in methods)
                foreach (var metric in MetricNames.All)
                {
                    var row = Assert.Single(table2.Rows, r => r.Test == key && r.Method == method && r.Metric == metric);
                    Assert.Equal(bench.Samples(key).Count, row.Interval.Count);
                    Assert.InRange(row.Interval.Value, row.Interval.Lower - 1e-9, row.Interval.Upper + 1e-9);
                    var (least, greatest) = metrics.Range(metric);
                    Assert.True(row.Interval.Lower >= least && row.Interval.Upper <= greatest, $"{method} {metric} {row.Interval} outside [{least}, {greatest}]");
                }
        // The simulated annotators describe from the same concept masks as the baselines: their agreement is well above chance.
        Assert.All(table2.Rows.Where(r => r.Method == Agreement.Annotators && r.Metric == MetricNames.BertScoreF), r => Assert.True(r.Interval.Value > 0.5));
        // Detector fractions for every layer of both models.
        Assert.Equal(10, table2.Detectors.Count);
        Assert.All(table2.Detectors, d => Assert.InRange(d.Fraction, 0, 1));

        var table3 = GeneralizationTables.Table3(bench, _settings, metrics);
        Assert.Equal(["within-network", "across-dataset", "leave-one-out"], table3.Rows.Select(r => r.Experiment).Distinct());
        var within = table3.Rows.First(r => r.Experiment == "within-network" && r.Method == GeneralizationTables.MilanMethod);
        Assert.Equal((int)(0.2 * bench.Samples(within.Train).Count), within.Interval.Count);
        // Leave-one-out MILAN in Table 3 reuses Table 2's trainings (same selection and seed): identical scores.
        foreach (var key in _settings.Keys)
        {
            var a = table2.Rows.Single(r => r.Test == key && r.Method == GeneralizationTables.MilanMethod && r.Metric == MetricNames.BertScoreF);
            var b = table3.Rows.Single(r => r.Experiment == "leave-one-out" && r.Test == key && r.Method == GeneralizationTables.MilanMethod && r.Metric == MetricNames.BertScoreF);
            Assert.Equal(a.Interval, b.Interval);
        }

        string folder = Path.Combine(results.Path, "table2");
        table2.Write(folder);
        foreach (var file in new[] { "table2.csv", "table2-descriptions.csv", "detectors.csv", "table2-bertscore-f.html", "summary.json", "dissection-resnet18-world-a.csv" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!;
        Assert.Equal(table2.Rows.Count, summary["rows"]!.AsArray().Count);
        Assert.Contains("not-resnet18-world-a", File.ReadAllText(Path.Combine(folder, "table2.csv")));
        Assert.Throws<IOException>(() => table2.Write(folder));
    }

    [Fact]
    public void MilanRowsOverTwoSeedsCarryTheSeedSpreadInTheirInterval()
    {
        const string key = "resnet18/world-a";
        using var results = new TempFolder();
        var settings = _settings with { Keys = [key], Seeds = [0, 1] };
        using var bench = TableBench.Open(settings.Keys, corpus.DataRoot, corpus.ModelsRoot, Path.Combine(results.Path, "cache"), CPU);
        var metrics = new DescriptionMetrics();
        var split = Milan.Annotations.WithinNetworkSplit.Create(key, bench.Samples(key), settings.WithinNetworkHoldOut, seed: 0);
        var test = new TableBench.Part(key, split.Test);
        var table = GeneralizationTables.Table3(bench,
            [new TableExperiment("within-network", key, key + " (held-out units)", [new TableBench.Part(key, split.Train)], [test])], settings, metrics);
        var row = table.Rows.Single(r => r.Method == GeneralizationTables.MilanMethod && r.Metric == MetricNames.BertScoreF);

        // Each seed's value again, from the descriptions the table records, scored on their own.
        var units = Agreement.Comparable(bench.Units([test]));
        Assert.Equal(units.Count, row.Interval.Count);
        var perSeed = settings.Seeds.Select(seed =>
        {
            var descriptions = table.Descriptions.Where(d => d.Seed == seed).Select(d => d.Description).ToList();
            return Agreement.Method(units, descriptions, metrics).Over(MetricNames.BertScoreF, Enumerable.Range(0, units.Count).ToArray());
        }).ToArray();
        Assert.Equal(2, row.Seeds);
        Assert.Equal(perSeed.Min(), row.SeedMin, 9);
        Assert.Equal(perSeed.Max(), row.SeedMax, 9);
        // Two seeds: s = |a − b|/√2, so √(s²/2) = |a − b|/2; the interval is t_ν · √(V_u + V_s) around the value.
        Assert.Equal(Math.Abs(perSeed[0] - perSeed[1]) / 2, row.SeedStandardError, 9);
        Assert.True(row.UnitStandardError > 0);
        double vu = row.UnitStandardError * row.UnitStandardError, vs = row.SeedStandardError * row.SeedStandardError;
        double half = Milan.Stats.SeedUnitInterval.Quantile(Milan.Stats.SeedUnitInterval.DegreesOfFreedom(vu, units.Count - 1, vs, 1), 0.975) * Math.Sqrt(vu + vs);
        // BERTScore over WordNet similarities lies in [0, 1]: the interval is clipped there.
        Assert.Equal(Math.Max(0, row.Interval.Value - half), row.Interval.Lower, 9);
        Assert.Equal(Math.Min(1, row.Interval.Value + half), row.Interval.Upper, 9);
        // Rows without seeds (the annotators) have the unit part only.
        var annotators = table.Rows.Single(r => r.Method == Agreement.Annotators && r.Metric == MetricNames.BertScoreF);
        Assert.Equal(0, annotators.SeedStandardError);
        Assert.Equal(1, annotators.Seeds);
    }

    [Fact]
    public void WorldKeyDissectionLabelsEveryUnit()
    {
        var result = Dissection.ForWorldKey("resnet18/world-a", corpus.DataRoot, corpus.ModelsRoot, new DissectionOptions(), CPU);
        var manifest = WorldCorpusManifest.Read(corpus.DataRoot)!;
        Assert.Equal(manifest.Datasets["resnet18/world-a"].Units, result.NetDissect.Count);
        Assert.Equal(result.NetDissect.Count, result.CompExp.Count);
        // A CompExp formula is at least as good as the best single concept (the beam starts with it).
        Assert.All(result.NetDissect.Zip(result.CompExp), p => Assert.True(p.Second.Iou >= p.First.Iou - 1e-12 || p.First.Iou == 0));
    }

    [Fact]
    public void UnknownKeyNamesTheManifest()
    {
        var error = Assert.Throws<MilanInputException>(() => TableBench.Open(["vgg/world-z"], corpus.DataRoot, corpus.ModelsRoot, Path.Combine(corpus.Folder.Path, "c"), CPU));
        Assert.Contains("world-corpus.json", error.Message);
    }
}
