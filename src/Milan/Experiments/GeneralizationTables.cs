using System.Diagnostics;
using Milan.Annotations;
using Milan.Evaluation;
using Milan.Stats;

namespace Milan.Experiments;

/// <summary>
/// The paper's comparisons as runnable experiments on the world corpus.
/// <list type="bullet">
/// <item>Table 2 analogue: each described model held out in turn; MILAN trained on the others
/// (leave-one-out; one training per seed) and decoded greedily (p(d|E)) and with the PMI rerank
/// (MILAN); CompExp and NetDissect labels on the same units; the simulated annotators'
/// inter-annotator agreement on the same units.</item>
/// <item>Table 3 analogue: MILAN (PMI) within network (a held-out share of each model's units),
/// across architectures, across datasets, and leave-one-out.</item>
/// </list>
/// Every score is against all annotations of the test units, with intervals over units and training seeds.
/// </summary>
public static class GeneralizationTables
{
    public const string CompExpMethod = "CE (compexp)";
    public const string NetDissectMethod = "ND (netdissect)";
    public const string GreedyMethod = "p(d|E) greedy";
    public const string MilanMethod = "MILAN pmi(d;E)";

    public static TableResult Table2(TableBench bench, TableSettings settings, DescriptionMetrics metrics, IProgress<WorkProgress>? progress = null)
    {
        var rows = new List<TableRow>();
        var descriptions = new List<(string, string, int, string, int, string)>();
        var detectors = new List<(string, string, int, double)>();
        var dissections = new List<DissectionResult>();
        var seconds = new Dictionary<string, double> { ["milan"] = 0, ["dissection"] = 0, ["scoring"] = 0 };
        var clock = new Stopwatch();
        foreach (var key in settings.Keys)
        {
            var test = new[] { bench.All(key) };
            var units = bench.Units(test);
            var train = settings.Keys.Where(k => k != key).Select(bench.All).ToList();
            string trainName = "not-" + key.Replace('/', '-');

            // The baselines need concept masks of the probe images: the world corpus has them; for MILANNOTATIONS
            // keys they would need Broden and the original NetDissect/CompExp code (not run here).
            DissectionResult? dissection = null;
            if (bench.IsWorldCorpus)
            {
                clock.Restart();
                dissection = Dissection.ForWorldKey(key, bench.DataRoot, bench.ModelsRoot!, settings.Dissection, bench.Device, progress);
                seconds["dissection"] += clock.Elapsed.TotalSeconds;
                dissections.Add(dissection);
                detectors.AddRange(dissection.DetectorFractions().Select(d => (key, d.Layer, d.Units, d.Fraction)));
            }

            clock.Restart();
            var greedy = new List<IReadOnlyList<string>>();
            var pmi = new List<IReadOnlyList<string>>();
            foreach (int seed in settings.Seeds)
            {
                progress?.Report(new WorkProgress("table 2: MILAN", seed, settings.Seeds.Count, $"{trainName} -> {key}"));
                var (g, p) = bench.TrainAndDescribe(train, test, seed, settings, progress);
                greedy.Add(g);
                pmi.Add(p);
            }
            seconds["milan"] += clock.Elapsed.TotalSeconds;

            clock.Restart();
            var methods = new List<(string Method, IReadOnlyList<IReadOnlyList<string>> PerSeed)>();
            if (dissection is not null)
            {
                methods.Add((CompExpMethod, [Labels(units, dissection.Descriptions(DissectionResult.CompExpName))]));
                methods.Add((NetDissectMethod, [Labels(units, dissection.Descriptions(DissectionResult.NetDissectName))]));
            }
            methods.Add((GreedyMethod, greedy));
            methods.Add((MilanMethod, pmi));
            foreach (var (method, perSeed) in methods)
                for (int s = 0; s < perSeed.Count; s++)
                    for (int u = 0; u < units.Count; u++)
                        descriptions.Add((units[u].Model, units[u].Layer, units[u].Unit, method, method is CompExpMethod or NetDissectMethod ? -1 : settings.Seeds[s], perSeed[s][u]));
            rows.AddRange(Score("leave-one-out", trainName, key, units, methods, settings, metrics, progress));
            seconds["scoring"] += clock.Elapsed.TotalSeconds;
        }
        return new TableResult("table2", rows, descriptions, detectors, dissections, seconds, settings, ModelName(metrics));
    }

    /// <summary>Table 3 on the world corpus: within network, across architectures and datasets (where the keys differ), leave-one-out.</summary>
    public static TableResult Table3(TableBench bench, TableSettings settings, DescriptionMetrics metrics, IProgress<WorkProgress>? progress = null)
    {
        var keys = DatasetKeys.Resolve(string.Join(",", settings.Keys), bench.DataRoot);
        var experiments = new List<TableExperiment>();
        foreach (var key in settings.Keys)
        {
            var split = WithinNetworkSplit.Create(key, bench.Samples(key), settings.WithinNetworkHoldOut, seed: 0);
            experiments.Add(new("within-network", key, key + " (held-out units)", [new(key, split.Train)], [new(key, split.Test)]));
        }
        foreach (var (name, factor) in new[] { ("across-architecture", KeyFactor.Architecture), ("across-dataset", KeyFactor.Dataset) })
            if (keys.Select(k => GeneralizationSplits.Value(k, factor)).Distinct().Count() >= 2)
                foreach (var split in GeneralizationSplits.Across(keys, factor))
                    experiments.Add(new(name, Names(split.Train), Names(split.Test), split.Train.Select(k => bench.All(k.Name)).ToList(), split.Test.Select(k => bench.All(k.Name)).ToList()));
        foreach (var split in GeneralizationSplits.LeaveOneOut(keys))
            experiments.Add(new("leave-one-out", "not-" + Names(split.Test).Replace('/', '-'), Names(split.Test), split.Train.Select(k => bench.All(k.Name)).ToList(), split.Test.Select(k => bench.All(k.Name)).ToList()));
        return Table3(bench, experiments, settings, metrics, progress);
    }

    /// <summary>
    /// The paper's Table 3 experiments (milan-spec §2.5, <see cref="GeneralizationSplits.Paper"/>: within network,
    /// across networks, datasets and tasks, base → DINO, leave-one-out), each restricted to the opened keys: a
    /// split keeps the keys of its train and test groups that were opened and is left out when a side has none,
    /// so with every key present they are the paper's, and with fewer they are named by the keys they used.
    /// </summary>
    public static IReadOnlyList<TableExperiment> PaperExperiments(TableBench bench, TableSettings settings)
    {
        var opened = settings.Keys.ToHashSet(StringComparer.Ordinal);
        var experiments = new List<TableExperiment>();
        foreach (var experiment in GeneralizationSplits.PaperExperiments)
            foreach (var split in GeneralizationSplits.Paper(experiment, bench.DataRoot))
            {
                var train = split.Train.Where(k => opened.Contains(k.Name)).ToList();
                var test = split.Test.Where(k => opened.Contains(k.Name)).ToList();
                if (train.Count == 0 || test.Count == 0) continue;
                if (split.HoldOut is not null)
                {
                    var key = train[0].Name;
                    var within = WithinNetworkSplit.Create(key, bench.Samples(key), settings.WithinNetworkHoldOut, seed: 0);
                    experiments.Add(new(experiment, key, key + " (held-out units)", [new(key, within.Train)], [new(key, within.Test)]));
                }
                else
                    experiments.Add(new(experiment, Names(train), Names(test), train.Select(k => bench.All(k.Name)).ToList(), test.Select(k => bench.All(k.Name)).ToList()));
            }
        return experiments;
    }

    /// <summary>Table 3 over given experiments: MILAN (PMI) trained on each train side and scored on its test side, per seed.</summary>
    public static TableResult Table3(TableBench bench, IReadOnlyList<TableExperiment> experiments, TableSettings settings, DescriptionMetrics metrics,
        IProgress<WorkProgress>? progress = null)
    {
        var rows = new List<TableRow>();
        var descriptions = new List<(string, string, int, string, int, string)>();
        var seconds = new Dictionary<string, double> { ["milan"] = 0, ["scoring"] = 0 };
        var clock = new Stopwatch();
        foreach (var (experiment, trainName, testName, trainParts, testParts) in experiments)
        {
            var units = bench.Units(testParts);
            clock.Restart();
            var pmi = new List<IReadOnlyList<string>>();
            foreach (int seed in settings.Seeds)
            {
                progress?.Report(new WorkProgress("table 3: MILAN", seed, settings.Seeds.Count, $"{experiment}: {trainName} -> {testName}"));
                pmi.Add(bench.TrainAndDescribe(trainParts, testParts, seed, settings, progress).Pmi);
            }
            seconds["milan"] += clock.Elapsed.TotalSeconds;
            clock.Restart();
            for (int s = 0; s < pmi.Count; s++)
                for (int u = 0; u < units.Count; u++)
                    descriptions.Add((units[u].Model, units[u].Layer, units[u].Unit, $"{MilanMethod} [{experiment}: {trainName}]", settings.Seeds[s], pmi[s][u]));
            rows.AddRange(Score(experiment, trainName, testName, units, [(MilanMethod, pmi)], settings, metrics, progress));
            seconds["scoring"] += clock.Elapsed.TotalSeconds;
        }
        return new TableResult("table3", rows, descriptions, [], [], seconds, settings, ModelName(metrics));
    }

    /// <summary>
    /// Rows for the annotators and each method on the comparable units (at least two annotations):
    /// per metric, the value over units (each unit's score averaged over seeds) with its interval over
    /// units and seeds (<see cref="SeedUnitInterval"/>: unit bootstrap plus a t-interval over the seed
    /// values, clipped to the metric's range; a method without seeds has the unit part only), and the lowest and
    /// highest single-seed value.
    /// </summary>
    private static IEnumerable<TableRow> Score(string experiment, string train, string test, IReadOnlyList<AnnotatedUnit> units,
        IReadOnlyList<(string Method, IReadOnlyList<IReadOnlyList<string>> PerSeed)> methods, TableSettings settings, DescriptionMetrics metrics,
        IProgress<WorkProgress>? progress)
    {
        var keep = Enumerable.Range(0, units.Count).Where(i => Agreement.Comparable([units[i]]).Count == 1).ToArray();
        if (keep.Length == 0) throw new MilanInputException($"{experiment} {train} -> {test}: no test unit has two or more annotations");
        var comparable = Agreement.Comparable(keep.Select(i => units[i]));
        var all = Enumerable.Range(0, comparable.Count).ToArray();
        var idf = comparable.SelectMany(u => u.Annotations).ToList();
        var references = comparable.Select(u => (IReadOnlyList<string>)u.Annotations).ToList();

        var scored = new List<(string Method, UnitScores Pooled, IReadOnlyList<UnitScores> PerSeed)>
        {
            (Agreement.Annotators, Agreement.InterAnnotator(comparable, metrics, progress), []),
        };
        foreach (var (method, perSeed) in methods)
        {
            var candidates = keep.Select(i => (IReadOnlyList<string>)perSeed.Select(seed => seed[i]).ToList()).ToList();
            var pooled = metrics.Score(candidates, references.Select(r => (IReadOnlyList<IReadOnlyList<string>>)Enumerable.Repeat(r, perSeed.Count).ToList()).ToList(), idf, progress);
            var seeds = perSeed.Count == 1 ? [pooled] : perSeed.Select(seed => Agreement.Method(comparable, keep.Select(i => seed[i]).ToList(), metrics, progress)).ToList();
            scored.Add((method, pooled, seeds));
        }
        foreach (var (method, pooled, perSeed) in scored)
            foreach (var metric in MetricNames.All)
            {
                var seedValues = perSeed.Count == 0 ? [pooled.Over(metric, all)] : perSeed.Select(s => s.Over(metric, all)).ToArray();
                var estimate = SeedUnitInterval.Compute(all.Length, picked => pooled.Over(metric, picked), seedValues, settings.Resamples, seed: 0,
                    range: metrics.Range(metric));
                yield return new TableRow(experiment, train, test, method, metric, estimate.Interval, seedValues.Length, seedValues.Min(), seedValues.Max(),
                    estimate.UnitStandardError, estimate.SeedStandardError);
            }
    }

    private static IReadOnlyList<string> Labels(IReadOnlyList<AnnotatedUnit> units, IReadOnlyDictionary<string, string> labels) =>
        units.Select(u => labels.TryGetValue(u.Key, out var label) ? label
            : throw new MilanInputException($"the dissection has no unit {u.Key}; the exemplar folder and the subject model disagree")).ToList();

    /// <summary>How a side of a split is named in the tables: its keys joined with "+".</summary>
    public static string Names(IReadOnlyList<DatasetKey> keys) => string.Join("+", keys.Select(k => k.Name));

    private static string ModelName(DescriptionMetrics metrics) => metrics.BertScore.Options.Baseline is null
        ? "BERTScore over " + metrics.BertScoreModelName
        : "BERTScore (rescaled) over " + metrics.BertScoreModelName;
}
