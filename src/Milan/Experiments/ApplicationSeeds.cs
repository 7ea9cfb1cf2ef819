using System.Globalization;
using Milan.Corpus;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>One key number of an application, for each training seed of the applications' MILAN (same order as the seeds).</summary>
public sealed record SeedMeasure(string Application, string Measure, IReadOnlyList<double> Values)
{
    public double Min => Values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Min();
    public double Max => Values.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();
}

/// <summary>The three applications run once per training seed of their MILAN, and their key numbers side by side.</summary>
public sealed record ApplicationSeedsResult(IReadOnlyList<int> Seeds, IReadOnlyList<SeedMeasure> Measures)
{
    /// <summary>Writes seeds.csv: application, measure, one column per seed, min, max.</summary>
    public void Write(string folder) =>
        CsvFile.Write(Path.Combine(folder, "seeds.csv"),
            ["application", "measure", .. Seeds.Select(s => $"seed_{s}"), "min", "max"],
            Measures.Select(m => (IReadOnlyList<object?>)[m.Application, m.Measure, .. m.Values.Append(m.Min).Append(m.Max).Select(Format)]));

    private static string Format(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// How much the applications' results depend on the training seed of their MILAN: for each seed, the MILAN of that
/// seed (<see cref="ApplicationMilan.LoadOrTrain"/>, trained once and kept) describes the units, the ablation, face
/// audit and editing run on the world corpus into &lt;results&gt;/seed&lt;S&gt;/&lt;application&gt;, and their key numbers
/// are collected per seed (seeds.csv). The pipeline runs seed 0 only; this is the measure of what another seed changes.
/// </summary>
public static class ApplicationSeeds
{
    public static ApplicationSeedsResult Run(string dataRoot, string modelsRoot, string resultsFolder, Profile profile, IReadOnlyList<int> seeds,
                                             Device device, IProgress<WorkProgress>? progress = null)
    {
        if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
            throw new MilanInputException($"seeds {string.Join(",", seeds)}: give one or more distinct seeds");
        var layout = new WorldCorpusLayout(dataRoot, modelsRoot);
        var perSeed = new List<IReadOnlyList<(string Application, string Measure, double Value)>>();
        ApplicationSeedsResult? result = null;
        ExperimentFolder.Replace(resultsFolder, folder =>
        {
            foreach (int seed in seeds)
            {
                progress?.Report(new WorkProgress("applications by seed", perSeed.Count, seeds.Count, $"seed {seed}"));
                using var describer = UnitDescriptions.Milan(layout, profile, device, seed: seed, progress: progress);
                string seedFolder = Path.Combine(folder, $"seed{seed}");
                var ablation = ApplicationRuns.Ablation(AblationSetup.ForWorldCorpus(layout, Path.Combine(seedFolder, "ablation"), profile), describer, device, progress);
                var audit = ApplicationRuns.Audit(AuditSetup.ForWorldCorpus(layout, Path.Combine(seedFolder, "audit"), profile), describer, progress);
                var edit = ApplicationRuns.Edit(EditingSetup.ForWorldCorpus(layout, Path.Combine(seedFolder, "edit"), profile), describer, device, progress);
                perSeed.Add(Measures(describer.MilanOrNull!, ablation, audit, edit));
            }
            progress?.Report(new WorkProgress("applications by seed", seeds.Count, seeds.Count));
            var measures = perSeed[0].Select((m, i) => new SeedMeasure(m.Application, m.Measure, perSeed.Select(s => s[i].Value).ToList())).ToList();
            result = new ApplicationSeedsResult(seeds, measures);
            result.Write(folder);
        });
        return result!;
    }

    private static List<(string, string, double)> Measures(ApplicationMilan milan, AblationAnalysisResult ablation, FaceAuditResult audit, SpuriousTextEditingResult edit)
    {
        var measures = new List<(string, string, double)>();
        var captioner = milan.Model.Card.Training?.Captioner;
        measures.Add(("milan", "captioner: kept epoch", captioner?.BestEpoch ?? double.NaN));
        measures.Add(("milan", "captioner: epochs trained", captioner?.Epochs ?? double.NaN));
        measures.Add(("milan", "distinct descriptions of the ablated model's units", ablation.Units.Select(u => u.Unit.Description).Distinct().Count()));

        double largest = ablation.Points.Max(p => p.Fraction);
        foreach (var criterion in ablation.Criteria.Append(AblationAnalysisResult.RandomCriterion))
            measures.Add(("ablation", $"accuracy with {largest:P0} removed: {criterion}", ablation.Curve(criterion)[^1].Accuracy));

        foreach (var model in audit.Models)
        {
            measures.Add(("audit", $"{model.Name}: flagged by face words", audit.Counts.Single(c => c.Model == model.Name && c.Layer == FaceAuditResult.AllLayers).Agreement.Flagged));
            foreach (var t in audit.Thresholds.Where(t => t.Model == model.Name))
            {
                string at = $"{model.Name}, face IoU >= {t.Threshold.ToString(CultureInfo.InvariantCulture)}";
                measures.Add(("audit", $"{at}: face units", t.Agreement.Relevant));
                measures.Add(("audit", $"{at}: flagged face units", t.Agreement.Both));
            }
        }

        measures.Add(("edit", "flagged as text", edit.Units.Count(u => u.Flags[edit.CandidateRule])));
        if (edit.Agreement is { } agreement)
        {
            measures.Add(("edit", "text units", agreement.Relevant));
            measures.Add(("edit", "flagged text units", agreement.Both));
        }
        foreach (var condition in edit.Summary)
            measures.Add(("edit", $"adversarial gain: {condition.Condition}", condition.Gain));
        return measures;
    }
}
