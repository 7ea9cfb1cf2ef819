using System.CommandLine;
using System.Globalization;
using Milan.Annotations;
using Milan.Corpus;
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
        return command;
    }

    private static Command Build()
    {
        var profile = new Option<string>("--profile") { Description = "tiny (32 px, seconds) | demo (64 px, minutes)", DefaultValueFactory = _ => "demo" };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var force = new Option<string?>("--force-stage") { Description = "redo this stage and the later ones: worlds | subjects | exemplars | annotations" };
        var dataDir = DataCommand.DataDirOption();
        var modelsDir = new Option<string?>("--models-dir") { Description = "Models root (default: $MILAN_MODELS_DIR, else models/ in the repository)." };
        var command = new Command("build",
            "Generate the worlds, train the subject models, compute exemplars of all their layers and annotate them; lay out <data>/<arch>/<dataset>/ and world-corpus.json. Finished stages are skipped.");
        foreach (var option in new Option[] { profile, device, force, dataDir, modelsDir }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var settings = WorldCorpusSettings.For(Profile.Parse(parse.GetValue(profile)));
            WorldCorpusStage? forced = parse.GetValue(force) is { } text ? WorldCorpusStages.Parse(text) : null;
            var chosenDevice = DeviceChoice.Parse(parse.GetValue(device));
            string dataRoot = parse.GetValue(dataDir) ?? MilanRoots.Data;
            string modelsRoot = parse.GetValue(modelsDir) ?? MilanRoots.Models;
            var result = ConsoleProgress.Run(progress => WorldCorpus.Build(settings, dataRoot, modelsRoot, chosenDevice, forced, progress));

            static string Seconds(double s) => s.ToString("F1", CultureInfo.InvariantCulture);
            var timings = new Table().AddColumns("stage", "item", "wall s", "cpu s");
            foreach (var t in result.Timings)
                timings.AddRow(WorldCorpusStages.Name(t.Stage), Markup.Escape(t.Item), t.Skipped ? "skipped" : Seconds(t.WallSeconds), t.Skipped ? "" : Seconds(t.CpuSeconds));
            timings.AddRow("[bold]all[/]", "", Seconds(result.Timings.Sum(t => t.WallSeconds)), Seconds(result.Timings.Sum(t => t.CpuSeconds)));
            AnsiConsole.Write(timings);
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
