using System.CommandLine;
using System.Globalization;
using Milan.Evaluation;
using Milan.Experiments;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>table2</c> and <c>table3</c>: the Table 2 and Table 3 analogues on the world corpus
/// (subcommands of <c>milan experiment</c>, beside the applications).
/// </summary>
public static class ExperimentTablesCommand
{
    public static IEnumerable<Command> Create()
    {
        yield return Table("table2", "Table 2 analogue: CompExp, NetDissect, p(d|E) greedy and MILAN (PMI) against the annotations of each held-out model, with 95% intervals over units and training seeds.",
            GeneralizationTables.Table2);
        yield return Table("table3", "Table 3 analogue: MILAN within network, across architectures, across datasets and leave-one-out, with 95% intervals over units and training seeds.",
            GeneralizationTables.Table3);
    }

    private static Command Table(string name, string description, Func<TableBench, TableSettings, DescriptionMetrics, IProgress<WorkProgress>?, TableResult> run)
    {
        var profile = new Option<string>("--profile") { Description = "tiny (seconds) | demo (minutes) | paper (the reference's trials, epochs and beam)", DefaultValueFactory = _ => "demo" };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated MILAN training seeds (default: the profile's)." };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Most epochs of each MILAN training (default: the profile's)." };
        var patience = new Option<int?>("--patience") { Description = "Early-stopping patience of each MILAN training (default: the profile's)." };
        var beam = new Option<int?>("--beam") { Description = "Beam of the PMI rerank (default: the profile's)." };
        var keys = new Option<string?>("--keys") { Description = "Comma-separated world corpus keys to describe (default: resnet18/world-a,alexnet/world-a,resnet18/world-b)." };
        var dataDir = DataCommand.DataDirOption();
        var modelsDir = new Option<string?>("--models-dir") { Description = "Models root (default: $MILAN_MODELS_DIR, else models/ in the repository)." };
        var cache = new Option<string?>("--cache") { Description = "Folder of cached exemplar features and MILAN descriptions (default: <results>/evaluation/cache)." };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var output = new Option<string?>("--out") { Description = $"New folder for the table (default: <results>/evaluation/{name})." };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists." };
        var command = new Command(name, description);
        foreach (var option in new Option[] { profile, seeds, maxEpochs, patience, beam, keys, dataDir, modelsDir, cache, device, output, force }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            var settings = TableSettings.For(Profile.Parse(parseResult.GetValue(profile)));
            if (parseResult.GetValue(seeds) is { } seedText) settings = settings with { Seeds = ParseSeeds(seedText) };
            if (parseResult.GetValue(maxEpochs) is { } epochs) settings = settings with { MaxEpochs = epochs };
            if (parseResult.GetValue(patience) is { } wait) settings = settings with { Patience = wait };
            if (parseResult.GetValue(beam) is { } width) settings = settings with { BeamSize = width };
            if (parseResult.GetValue(keys) is { } keyText) settings = settings with { Keys = keyText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            string dataRoot = parseResult.GetValue(dataDir) ?? MilanRoots.Data;
            string modelsRoot = parseResult.GetValue(modelsDir) ?? MilanRoots.Models;
            string outFolder = parseResult.GetValue(output) ?? Path.Combine(MilanRoots.Results, "evaluation", name);
            string cacheFolder = parseResult.GetValue(cache) ?? Path.Combine(MilanRoots.Results, "evaluation", "cache");
            if (Directory.Exists(outFolder) && !parseResult.GetValue(force)) throw new MilanInputException($"--out {outFolder}: already exists; choose a new folder or pass --force");
            var chosenDevice = DeviceChoice.Parse(parseResult.GetValue(device));
            var result = ConsoleProgress.Run(progress =>
            {
                using var bench = TableBench.Open(settings.Keys, dataRoot, modelsRoot, cacheFolder, chosenDevice, progress);
                return run(bench, settings, new DescriptionMetrics(), progress);
            });
            if (Directory.Exists(outFolder)) Directory.Delete(outFolder, recursive: true);
            result.Write(outFolder);
            Print(result);
            AnsiConsole.MarkupLineInterpolated($"written to {outFolder}");
            return 0;
        }));
        return command;
    }

    internal static IReadOnlyList<int> ParseSeeds(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new MilanInputException($"--seeds: '{s}' is not an integer")).ToList();

    private static void Print(TableResult result)
    {
        var table = new Table().AddColumns("experiment", "train", "test", "method", "BERTScore F (95% CI)", "BLEU", "seeds (min-max)");
        foreach (var group in result.Rows.GroupBy(r => (r.Experiment, r.Train, r.Test, r.Method)))
        {
            var f = group.First(r => r.Metric == MetricNames.BertScoreF);
            var bleu = group.First(r => r.Metric == MetricNames.Bleu);
            table.AddRow(Markup.Escape(f.Experiment), Markup.Escape(f.Train), Markup.Escape(f.Test), Markup.Escape(f.Method),
                Markup.Escape($"{f.Interval.Value:F3} [{f.Interval.Lower:F3}, {f.Interval.Upper:F3}]"), $"{bleu.Interval.Value:F1}", $"{f.Seeds} ({f.SeedMin:F3}-{f.SeedMax:F3})");
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"BERTScore here is {result.MetricModel}; results on the bundled world with simulated annotators, not the paper's.");
    }
}
