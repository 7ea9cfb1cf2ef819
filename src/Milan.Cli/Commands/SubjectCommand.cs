using System.CommandLine;
using System.Globalization;
using Milan.Datasets;
using Milan.Models;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>`milan subject train|info`: the classifiers MILAN describes, trained on a world.</summary>
public static class SubjectCommand
{
    public static Command Create()
    {
        var command = new Command("subject", "Subject models: train a classifier on a world (train/val/test splits), show a trained model's card.");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Info());
        return command;
    }

    private static Command Train()
    {
        var arch = new Option<string>("--arch") { Description = $"architecture: {string.Join(" | ", ModelArchitecture.Names)}", Required = true };
        var width = new Option<int>("--width") { Description = "base channel width (64 in torchvision)", DefaultValueFactory = _ => 64 };
        var world = new Option<string>("--world") { Description = "folder with train/, val/ and test/ image sources (a world, e.g. MILAN_DATA_DIR/world/a/normal)", Required = true };
        var output = new Option<string>("--out") { Description = "new folder for weights.safetensors + card.json", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "most epochs (early stopping may end sooner)", DefaultValueFactory = _ => 10 };
        var patience = new Option<int>("--patience") { Description = "epochs without a better validation accuracy before stopping", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "images per mini-batch", DefaultValueFactory = _ => 64 };
        var rate = new Option<double>("--learning-rate") { Description = "peak learning rate (AdamW, one-cycle)", DefaultValueFactory = _ => 3e-3 };
        var seed = new Option<long>("--seed") { Description = "seed of the weights, batch order, flips and dropout", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var command = new Command("train", "Train a subject model on a world with AdamW, flips and early stopping (the best epoch's weights are kept), then test it.");
        foreach (var option in new Option[] { arch, width, world, output, epochs, patience, batch, rate, seed, device }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(world)!;
            string outFolder = parse.GetValue(output)!;
            if (Directory.Exists(outFolder)) throw new MilanInputException($"--out {outFolder}: already exists; choose a new folder");
            var chosenDevice = DeviceChoice.Parse(parse.GetValue(device));
            var options = new SubjectTrainingOptions
            {
                MaxEpochs = parse.GetValue(epochs),
                Patience = parse.GetValue(patience),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(rate),
                Seed = parse.GetValue(seed),
            };
            var spec = new ModelSpec(parse.GetValue(arch)!, Classes: 1, Width: parse.GetValue(width));
            var card = ConsoleProgress.Run(progress =>
            {
                using var train = new NpyImageSource(Path.Combine(folder, "train"));
                using var val = new NpyImageSource(Path.Combine(folder, "val"));
                using var test = new NpyImageSource(Path.Combine(folder, "test"));
                using var trained = SubjectTraining.Train(spec, train, val, options, chosenDevice, progress);
                trained.SetWorld(Path.GetFullPath(folder));
                trained.Test(test, chosenDevice, progress);
                trained.Save(outFolder);
                return trained.Card;
            });
            Show(card, outFolder);
            return 0;
        }));
        return command;
    }

    private static Command Info()
    {
        var folder = new Argument<string>("folder") { Description = "a subject model folder (weights.safetensors + card.json)" };
        var command = new Command("info", "Show a trained subject model's card: spec, data, epochs and per-class accuracy.");
        command.Arguments.Add(folder);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string path = parse.GetValue(folder)!;
            var card = SubjectCard.Read(Path.Combine(path, SubjectCard.FileName));
            Show(card, path);
            return 0;
        }));
        return command;
    }

    private static void Show(SubjectCard card, string folder)
    {
        static string Percent(double v) => double.IsNaN(v) ? "-" : v.ToString("P1", CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLineInterpolated(
            $"[green]{card.Spec.Architecture}[/] width {card.Spec.Width}, {card.Spec.ImageSize} px, {card.ClassNames.Count} classes, seed {card.Training.Seed}: {folder}");
        AnsiConsole.MarkupLineInterpolated($"trained on {card.TrainData}; {card.EpochsRun} epoch(s) run, best epoch {card.BestEpoch} kept");
        var table = new Table().AddColumns("class", "validation", "test");
        for (int c = 0; c < card.ClassNames.Count; c++)
            table.AddRow(Markup.Escape(card.ClassNames[c]), Percent(card.Validation.PerClass[c]), card.Test is null ? "-" : Percent(card.Test.PerClass[c]));
        table.AddRow("[bold]all[/]", Percent(card.Validation.Overall), card.Test is null ? "-" : Percent(card.Test.Overall));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"chance {Percent(1.0 / card.ClassNames.Count)}");
    }
}
