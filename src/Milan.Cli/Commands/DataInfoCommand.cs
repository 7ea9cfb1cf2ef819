using System.CommandLine;
using Milan.Annotations;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary><c>milan data info &lt;key|folder&gt;</c>: what a dataset holds.</summary>
public static class DataInfoCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key")
        {
            Description = "A key (alexnet/imagenet), grouping (base), glob (*/world-a), folder, or a comma list of them.",
        };
        var dataDir = DataCommand.DataDirOption();
        var examples = new Option<int>("--examples") { Description = "Example descriptions to show per dataset.", DefaultValueFactory = _ => 5 };
        var count = new Option<int?>("--annotation-count") { Description = "Override the annotations required per unit (3 for annotated keys)." };

        var command = new Command("info", "Units per layer, annotations per unit, vocabulary size, example descriptions, image and mask sizes.");
        command.Arguments.Add(key);
        command.Options.Add(dataDir);
        command.Options.Add(examples);
        command.Options.Add(count);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            var options = new TopImagesLoadOptions
            {
                DataRoot = parseResult.GetValue(dataDir),
                AnnotationCount = parseResult.GetValue(count),
                MissingImages = MissingImages.Skip,
            };
            using var dataset = MilannotationsDataset.Load(parseResult.GetValue(key)!, options);
            foreach (var part in dataset.Parts) Show(DatasetSummary.Describe(part, parseResult.GetValue(examples)));
            if (dataset.Parts.Count > 1)
                AnsiConsole.MarkupLineInterpolated($"[bold]total[/]: {dataset.Samples.Count} samples in {dataset.Parts.Count} datasets");
            return 0;
        }));
        return command;
    }

    private static void Show(DatasetSummary summary)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{summary.Name}[/]  ({summary.Folder})");
        var layers = new Table().AddColumns("layer", "units", "samples", "images/unit", "image size", "mask size", "images.npy", "units.npy");
        foreach (var layer in summary.Layers)
            layers.AddRow(Markup.Escape(layer.Name), $"{layer.Units}", $"{layer.Samples}", $"{layer.ImagesPerUnit}",
                layer.HasImages ? $"{layer.Size}x{layer.Size}" : "-", $"{layer.Size}x{layer.Size}",
                layer.HasImages ? "yes" : "not merged", layer.HasUnitsFile ? "yes" : "no");
        AnsiConsole.Write(layers);
        AnsiConsole.MarkupLineInterpolated($"samples: {summary.Samples}");
        if (!summary.Annotated)
        {
            AnsiConsole.MarkupLine("annotations: none (no annotations.csv)");
            AnsiConsole.WriteLine();
            return;
        }
        string histogram = string.Join(", ", summary.UnitsByAnnotationCount.Select(p => $"{p.Value} unit(s) with {p.Key}"));
        AnsiConsole.MarkupLineInterpolated($"annotations: {summary.AnnotationRows} rows; {histogram}");
        AnsiConsole.MarkupLineInterpolated($"policy: {(summary.AnnotationCount is int n ? $"keep units with >= {n}, first {n} each; {summary.DroppedUnits} unit(s) dropped" : "no count, all annotations kept")}");
        AnsiConsole.MarkupLineInterpolated($"vocabulary: {summary.Vocabulary} distinct tokens, {summary.Tokens} tokens (simple letter/digit tokens, lowercased)");
        foreach (var (unit, annotation) in summary.Examples)
            AnsiConsole.MarkupLineInterpolated($"  {unit.Layer}:{unit.Unit}  \"{annotation}\"");
        AnsiConsole.WriteLine();
    }
}
