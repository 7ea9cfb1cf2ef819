using System.CommandLine;
using System.Globalization;
using Milan.Corpus;
using Milan.Experiments;
using Milan.IO;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan milannotations build`: the bundled world corpus (worlds, subject models, exemplars, simulated annotations).</summary>
public static class MilannotationsCommand
{
    public static Command Create()
    {
        var command = new Command("milannotations", "The bundled world corpus in the MILANNOTATIONS layout (simulated annotations, not human data).");
        command.Subcommands.Add(Build());
        command.Subcommands.Add(Fidelity());
        command.Subcommands.Add(Truth());
        return command;
    }

    /// <summary>--verify fast|full: how finished outputs are checked against their seals before they are skipped.</summary>
    public static Option<SealCheck> VerifyOption() => new("--verify")
    {
        Description = "How finished outputs are checked before they are reused: fast (sizes, and the content of files whose modification time changed) or full (the content of every file)",
        DefaultValueFactory = _ => SealCheck.Fast,
    };

    private static Command Fidelity()
    {
        var dataDir = DataCommand.DataDirOption();
        var datasets = new Option<string[]>("--dataset")
        {
            Description = "instead of a corpus: <exemplar folder>=<probe split>, an annotated exemplar folder (annotations.csv inside) and the world split its ids index; repeatable",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("fidelity",
            "How faithful the simulated annotations of a built world corpus are to its ground truth: face and text words on ground-truth face and text units, position-only answers, distinct words, inter-annotator agreement (docs/world.md).");
        command.Options.Add(dataDir);
        command.Options.Add(datasets);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string dataRoot = Path.GetFullPath(parse.GetValue(dataDir) ?? MilanRoots.Data);
            var chosen = parse.GetValue(datasets) is { Length: > 0 } pairs
                ? pairs.Select(pair =>
                {
                    var parts = pair.Split('=', 2);
                    if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                        throw new MilanInputException($"--dataset {pair}: expected <exemplar folder>=<probe split>");
                    string folder = Path.GetFullPath(parts[0]);
                    return new AnnotatedDataset(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), folder, Path.GetFullPath(parts[1]),
                                                Path.Combine(folder, Milan.Annotations.AnnotationTable.FileName));
                }).ToList()
                : AnnotatorFidelity.CorpusDatasets(dataRoot);
            var fidelity = ConsoleProgress.Run(progress => AnnotatorFidelity.Measure(chosen, progress: progress));
            static string Share(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "no such units";
            var table = new Table().AddColumns("measure", "value");
            table.AddRow("units, annotations", $"{fidelity.Units}, {fidelity.Annotations}");
            table.AddRow($"face units (face IoU ≥ {fidelity.IouThreshold.ToString(CultureInfo.InvariantCulture)})", $"{fidelity.FaceUnits}");
            table.AddRow("their annotations naming a face word", Share(fidelity.FaceWordShare));
            table.AddRow($"text units (text IoU ≥ {fidelity.IouThreshold.ToString(CultureInfo.InvariantCulture)})", $"{fidelity.TextUnits}");
            table.AddRow("their annotations naming a text word", Share(fidelity.TextWordShare));
            string most = $"{{0}} under the mask in ≥ {AnnotatorFidelity.ConsistentShare.ToString("P0", CultureInfo.InvariantCulture)} of exemplars";
            table.AddRow($"face units with {string.Format(most, "a face")}", $"{fidelity.ConsistentFaceUnits}");
            table.AddRow("their annotations naming a face word", Share(fidelity.ConsistentFaceWordShare));
            table.AddRow($"text units with {string.Format(most, "text")}", $"{fidelity.ConsistentTextUnits}");
            table.AddRow("their annotations naming a text word", Share(fidelity.ConsistentTextWordShare));
            foreach (var (ceiling, concept) in new[] { (fidelity.FaceCeiling, "face"), (fidelity.TextCeiling, "text") })
                table.AddRow($"ideal {concept} units (highlights = the {concept} masks): annotations naming a {concept} word",
                             ceiling is null ? "too few images hold it" : $"{Share(ceiling.WordShare)} of {ceiling.Annotations}");
            table.AddRow("annotations naming only a position", Share(fidelity.PositionOnlyShare));
            table.AddRow("distinct words", $"{fidelity.DistinctWords}");
            table.AddRow("inter-annotator BLEU-4, ROUGE-L", $"{fidelity.InterAnnotatorBleu.ToString("F3", CultureInfo.InvariantCulture)}, {fidelity.InterAnnotatorRougeL.ToString("F3", CultureInfo.InvariantCulture)}");
            AnsiConsole.Write(table);
            static string Listed(IReadOnlyList<(string Summary, int Count)> misses) => string.Join("; ", misses.Take(12).Select(m => $"{m.Summary} ({m.Count})"));
            string threshold = fidelity.IouThreshold.ToString(CultureInfo.InvariantCulture);
            AnsiConsole.MarkupLineInterpolated($"face units (IoU ≥ {threshold}), what the word rule misses: {Listed(fidelity.FaceMisses)}");
            AnsiConsole.MarkupLineInterpolated($"text units (IoU ≥ {threshold}), what the word rule misses: {Listed(fidelity.TextMisses)}");
            foreach (var ceiling in new[] { fidelity.FaceCeiling, fidelity.TextCeiling }.OfType<AnnotatorCeiling>())
                AnsiConsole.MarkupLineInterpolated($"ideal {ceiling.Concept} units, what the word rule misses: {Listed(ceiling.Misses)}");
            AnsiConsole.Write(TruthTable(fidelity.PerDataset.Select(d => (d.Dataset, d.Face)).Concat(fidelity.PerDataset.Select(d => (d.Dataset, d.Text))).ToList()));
            return 0;
        }));
        return command;
    }

    private static Command Truth()
    {
        var exemplars = new Option<string>("--exemplars") { Description = "exemplar folder: <dir>/<layer>/{masks.npy, ids.csv[, units.npy]}", Required = true };
        var world = new Option<string>("--world") { Description = "world split with concept masks that the exemplars were computed on, or a world folder (its val split)", Required = true };
        var concepts = new Option<string[]>("--concept") { Description = "concepts to count units for (category, part, colour, texture or text)", DefaultValueFactory = _ => ["face", "text"], AllowMultipleArgumentsPerToken = true };
        var command = new Command("truth",
            "Ground-truth units of an exemplar folder of the world: per layer, how many units' exemplar masks overlap a concept's masks with IoU at least 0.05, 0.1 and 0.2 (docs/world.md).");
        foreach (var option in new Option[] { exemplars, world, concepts }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(exemplars)!;
            using var masks = new Milan.World.WorldConceptMasks(Milan.World.SimulatedAnnotation.ResolveSplit(parse.GetValue(world)!));
            var counts = ConsoleProgress.Run(progress => parse.GetValue(concepts)!.Select(c => (Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)), ConceptUnits.Measure(folder, masks, c, progress: progress))).ToList());
            AnsiConsole.Write(TruthTable(counts));
            return 0;
        }));
        return command;
    }

    /// <summary>One row per dataset, concept and layer (and "all"): units, counts at each threshold, best IoU.</summary>
    private static Table TruthTable(IReadOnlyList<(string Dataset, ConceptUnits Units)> counts)
    {
        var thresholds = counts.Count > 0 ? counts[0].Units.Thresholds : ConceptUnits.DefaultThresholds;
        var table = new Table().AddColumns(["dataset", "concept", "layer", "units", .. thresholds.Select(t => $"IoU ≥ {t.ToString(CultureInfo.InvariantCulture)}"), "best IoU"]);
        foreach (var (dataset, units) in counts)
        {
            foreach (var layer in units.Layers)
                table.AddRow([Markup.Escape(dataset), units.Concept, layer.Layer, $"{layer.Units}", .. layer.AtThresholds.Select(c => $"{c}"), layer.BestIou.ToString("F3", CultureInfo.InvariantCulture)]);
            table.AddRow([Markup.Escape(dataset), units.Concept, "[bold]all[/]", $"{units.Layers.Sum(l => l.Units)}", .. units.Total.Select(c => $"[bold]{c}[/]"),
                          units.Layers.Count == 0 ? "" : units.Layers.Max(l => l.BestIou).ToString("F3", CultureInfo.InvariantCulture)]);
        }
        return table;
    }

    private static Command Build()
    {
        var profile = new Option<string>("--profile") { Description = "tiny (32 px, seconds) | demo (64 px, minutes)", DefaultValueFactory = _ => "demo" };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var force = new Option<string?>("--force-stage") { Description = "redo this stage and the later ones: worlds | subjects | exemplars | annotations" };
        var dataDir = DataCommand.DataDirOption();
        var modelsDir = new Option<string?>("--models-dir") { Description = "Models root (default: $MILAN_MODELS_DIR, else models/ in the repository)." };
        var verify = VerifyOption();
        var command = new Command("build",
            "Generate the worlds, train the subject models, compute exemplars of all their layers and annotate them; lay out <data>/<arch>/<dataset>/ and world-corpus.json. Finished stages are skipped.");
        foreach (var option in new Option[] { profile, device, force, dataDir, modelsDir, verify }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var settings = WorldCorpusSettings.For(Profile.Parse(parse.GetValue(profile)));
            WorldCorpusStage? forced = parse.GetValue(force) is { } text ? WorldCorpusStages.Parse(text) : null;
            var chosenDevice = DeviceChoice.Parse(parse.GetValue(device));
            string dataRoot = parse.GetValue(dataDir) ?? MilanRoots.Data;
            string modelsRoot = parse.GetValue(modelsDir) ?? MilanRoots.Models;
            var result = ConsoleProgress.Run(progress => WorldCorpus.Build(settings, dataRoot, modelsRoot, chosenDevice, forced, progress, parse.GetValue(verify)));

            static string Seconds(double s) => s.ToString("F1", CultureInfo.InvariantCulture);
            var timings = new Table().AddColumns("stage", "item", "wall s", "cpu s");
            foreach (var t in result.Timings)
                timings.AddRow(WorldCorpusStages.Name(t.Stage), Markup.Escape(t.Item), t.Skipped ? "skipped" : Seconds(t.WallSeconds), t.Skipped ? "" : Seconds(t.CpuSeconds));
            timings.AddRow("[bold]all[/]", "", Seconds(result.Timings.Sum(t => t.WallSeconds)), Seconds(result.Timings.Sum(t => t.CpuSeconds)));
            AnsiConsole.Write(timings);
            foreach (var t in result.Timings.Where(t => t.Repaired is not null))
                AnsiConsole.MarkupLineInterpolated($"[yellow]rebuilt[/] {WorldCorpusStages.Name(t.Stage)} {t.Item}: {t.Repaired}");
            var subjects = new Table().AddColumns("subject model", "arch", "width", "validation", "test");
            foreach (var (name, s) in result.Manifest.Subjects)
                subjects.AddRow(name, s.Architecture, s.Width.ToString(CultureInfo.InvariantCulture),
                    s.ValidationAccuracy.ToString("P1", CultureInfo.InvariantCulture), s.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture));
            AnsiConsole.Write(subjects);
            foreach (var (key, d) in result.Manifest.Datasets)
                AnsiConsole.MarkupLineInterpolated($"[green]{key}[/]: {d.Units} units in {d.Layers.Count} layers, {d.Annotations} simulated annotations, probe {d.Probe}");
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{WorldCorpusManifest.PathIn(Path.GetFullPath(dataRoot))}[/]");
            return 0;
        }));
        return command;
    }
}
