using System.CommandLine;
using Milan.World;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan annotate`: simulated annotators describe the units of an exemplar folder (a simulation, not human data).</summary>
public static class AnnotateCommand
{
    public static Command Create()
    {
        var exemplars = new Option<string>("--exemplars") { Description = "exemplar folder: <dir>/<layer>/{masks.npy, ids.csv[, units.npy]}", Required = true };
        var world = new Option<string>("--world") { Description = "world split with concept masks that the exemplars were computed on, or a world folder (its val split)", Required = true };
        var output = new Option<string?>("--out") { Description = "annotations CSV (default: <exemplars>/annotations.csv)" };
        var seed = new Option<long>("--seed") { Description = "seed of the annotators' choices", DefaultValueFactory = _ => 0 };
        var noise = new Option<double>("--noise") { Description = "scale of the annotators' mistakes (0 = always their best description)", DefaultValueFactory = _ => 1 };
        var command = new Command("annotate", "Simulated annotators: three descriptions per unit from the world's concept masks, written as annotations.csv (layer,unit,summary).");
        foreach (var option in new Option[] { exemplars, world, output, seed, noise }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(exemplars)!;
            string csv = parse.GetValue(output) ?? Path.Combine(folder, "annotations.csv");
            var rows = ConsoleProgress.Run(progress =>
                SimulatedAnnotation.Annotate(folder, parse.GetValue(world)!, csv, parse.GetValue(seed), parse.GetValue(noise), progress));
            AnsiConsole.MarkupLineInterpolated($"wrote [green]{rows.Count}[/] simulated annotations ({rows.Count / SimulatedAnnotation.Styles.Count} units) to [green]{csv}[/]");
            return 0;
        }));
        return command;
    }
}
