using System.CommandLine;
using Milan.Annotations;
using Milan.Experiments;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>milan atlas &lt;exemplars&gt;... [--descriptions csv] [--annotations csv] --out &lt;dir&gt;</c>: a static
/// offline site of every unit of the given exemplar datasets (docs/atlas.md).
/// </summary>
public static class AtlasCommand
{
    public static Command Create()
    {
        var exemplars = new Argument<string[]>("exemplars")
        {
            Description = "Exemplar datasets: folders in the exemplar layout (layer folders with images.npy and masks.npy), keys (resnet18/world-a), groupings or globs.",
            Arity = ArgumentArity.OneOrMore,
        };
        var descriptions = new Option<string?>("--descriptions") { Description = "A descriptions CSV (layer,unit,description[,model]) as 'milan describe' writes." };
        var annotations = new Option<string?>("--annotations") { Description = "An annotations CSV (layer,unit,summary) for a single dataset (default: annotations.csv in each dataset's folder, when present)." };
        var dataDir = DataCommand.DataDirOption();
        var output = new Option<string>("--out") { Description = "Folder to write the site to (must not exist); open its index.html.", Required = true };
        var command = new Command("atlas", "Write a static, offline site of units: per layer a grid, per unit its exemplars with masks, description and annotations, with search.");
        command.Arguments.Add(exemplars);
        foreach (var option in new Option[] { descriptions, annotations, dataDir, output }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            string outFolder = parseResult.GetValue(output)!;
            if (Directory.Exists(outFolder) || File.Exists(outFolder))
                throw new MilanInputException($"--out {outFolder}: already exists (the atlas is written to a new folder)");
            var keys = parseResult.GetValue(exemplars)!.SelectMany(e => DatasetKeys.Resolve(e, parseResult.GetValue(dataDir))).ToArray();
            ConsoleProgress.Run(progress =>
                ExemplarAtlas.Write(keys, outFolder, parseResult.GetValue(descriptions), parseResult.GetValue(annotations), progress, parseResult.GetValue(dataDir)));
            AnsiConsole.MarkupLineInterpolated($"atlas of {keys.Length} dataset(s) written to {Path.Combine(outFolder, "index.html")}");
            return 0;
        }));
        return command;
    }
}
