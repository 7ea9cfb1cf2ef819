using System.Globalization;
using Milan.Corpus;
using Milan.Experiments;

namespace Milan.Reproduction;

/// <summary>
/// The steps of <c>milan reproduce</c>, in order. A step is a name and a function of the context that
/// returns key numbers; adding one is one line in <see cref="For"/>.
/// </summary>
public static class ReproductionSteps
{
    /// <summary>The bundled world's steps for tiny and demo; <see cref="PaperSteps"/> for the paper profile.</summary>
    public static IReadOnlyList<ReproductionStep> For(Profile profile, string? notebooksFolder = null, PaperSettings? paper = null) =>
        profile == Profile.Paper ? PaperSteps.For(paper ?? new PaperSettings()) :
    [
        Corpus,
        Tables,
        RealNetworkStep.Step,
        AtlasStep.Step,
        Notebooks(notebooksFolder),
    ];

    /// <summary>The bundled world corpus (<see cref="WorldCorpus.Build"/>); finished items are skipped.</summary>
    public static ReproductionStep Corpus { get; } = new("corpus",
        "worlds, subject models, exemplars and simulated annotations (milan milannotations build)", context =>
        {
            var result = WorldCorpus.Build(WorldCorpusSettings.For(context.Profile), context.Roots.Data, context.Roots.Models, context.Device,
                context.Forced("corpus") ? WorldCorpusStage.Worlds : null, context.Progress);
            var numbers = new List<KeyNumber>();
            foreach (var (name, subject) in result.Manifest.Subjects)
                numbers.Add(KeyNumber.Of($"{name} test accuracy", subject.TestAccuracy, "0.0%",
                    $"{subject.Architecture} width {subject.Width} on {subject.World} (chance 10%)"));
            foreach (var (key, dataset) in result.Manifest.Datasets)
                numbers.Add(new KeyNumber($"{key} units / annotations",
                    string.Create(CultureInfo.InvariantCulture, $"{dataset.Units} / {dataset.Annotations}"),
                    $"{dataset.Layers.Count} layers probed on {dataset.Probe}; simulated annotators"));
            int built = result.Timings.Count(t => !t.Skipped);
            return new StepOutcome(result.AllSkipped, numbers, Message: result.AllSkipped
                ? "every item was complete"
                : $"built {built} of {result.Timings.Count} items");
        });

    /// <summary>The Table 2 and Table 3 analogues (<see cref="EvaluationTables"/>); a table made with the same settings is reused.</summary>
    public static ReproductionStep Tables { get; } = new("tables",
        "Table 2 and Table 3 analogues with intervals over units and seeds (milan experiment table2|table3)", context =>
        {
            var numbers = new List<KeyNumber>();
            bool allReused = true;
            foreach (string table in EvaluationTables.Names)
            {
                var (summary, reused) = EvaluationTables.LoadOrRun(table, context.Roots.Data, context.Roots.Models, context.Roots.Results,
                    context.Profile, context.Device, context.Forced("tables"), context.Progress);
                allReused &= reused;
                string note = $"BERTScore F [95% interval over units and training seeds, clipped to the metric's range] with {summary["bertscore_model"]}; simulated annotators";
                numbers.AddRange(EvaluationTables.BertScoreRows(summary).Select(row => new KeyNumber(row.Name, row.Value, note)));
            }
            return new StepOutcome(allReused, numbers, Message: allReused ? "both tables were complete" : "wrote <results>/evaluation/table2 and table3");
        });

    /// <summary>Every notebook of <paramref name="folder"/> (default: the repository's notebooks/) executed into &lt;results&gt;/notebooks.</summary>
    public static ReproductionStep Notebooks(string? folder = null) => new("notebooks",
        "the notebooks, executed headless with the profile, and their HTML renderings", context => NotebookStep.Run(context, folder));
}
