using System.CommandLine;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>milan exemplars merge &lt;shard folders&gt; --out &lt;dir&gt;</c>: the layout of a run computed as
/// shards (<c>milan exemplars --shard i/n</c>), as the unsharded run would have written it (docs/sharding.md).
/// </summary>
public static class ExemplarsMergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards") { Description = "The shard folders of one run (all n of them, any order)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Output folder (one subfolder per layer)", Required = true };
        var images = new Option<string?>("--images")
        {
            Description = "The run's image source, where pass 2 reads the exemplar images (default: the folder the shards recorded)",
        };
        var noSheets = new Option<bool>("--no-sheets") { Description = "Do not write the PNG contact sheets" };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };

        var command = new Command("merge", "Merge the shards of 'milan exemplars --shard i/n' and write the layout");
        command.Arguments.Add(shards);
        foreach (var option in new Option[] { output, images, noSheets, device }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var chosenDevice = DeviceChoice.Parse(parse.GetValue(device));
            var folders = parse.GetValue(shards)!;
            var settings = ExemplarShardManifest.Read(folders[0]).Settings;
            var source = ImageSources.Open(parse.GetValue(images) ?? settings.ImageSource, settings.ImageSize);
            using var disposeSource = source as IDisposable;
            string outFolder = Path.GetFullPath(parse.GetValue(output)!);
            var run = ConsoleProgress.Run(progress => ExemplarShards.Merge(folders, source, outFolder, !parse.GetValue(noSheets), chosenDevice, progress));
            if (run.Skipped.Count > 0)
                AnsiConsole.MarkupLineInterpolated($"skipped (already written): {string.Join(", ", run.Skipped)}");
            AnsiConsole.MarkupLineInterpolated($"merged {folders.Length} shard(s): wrote {run.Written.Count} layer(s) to {outFolder}");
            return 0;
        }));
        return command;
    }
}
