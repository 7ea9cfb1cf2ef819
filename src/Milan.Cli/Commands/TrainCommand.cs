using System.CommandLine;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary><c>milan train --data &lt;keys|folders&gt; --encoder &lt;weights&gt; --out &lt;dir&gt;</c>: trains MILAN (p(d) and p(d|E)).</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Training data: a key (alexnet/imagenet), grouping (base), glob, folder, or a comma list of them.",
            Required = true,
        };
        var encoder = new Option<string>("--encoder")
        {
            Description = "Weights of the encoder backbone (a ResNet or AlexNet; safetensors or TorchSharp format).",
            Required = true,
        };
        var arch = new Option<string?>("--arch") { Description = "The encoder's architecture, if its weights file does not say (e.g. converted torchvision weights)." };
        var holdOut = new Option<double>("--hold-out") { Description = "Share of neurons held out for early stopping.", DefaultValueFactory = _ => 0.1 };
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation BLEU before stopping (the reference: 4; 10 within-network).", DefaultValueFactory = _ => 4 };
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Most epochs of each network.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, initialisation, data order and dropout.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var cache = new Option<string?>("--feature-cache") { Description = "Folder of cached exemplar features (default: <results>/features)." };
        var dataDir = DataCommand.DataDirOption();
        var output = new Option<string>("--out") { Description = "New folder for the model (card.json + weights.safetensors).", Required = true };

        var command = new Command("train", "Train MILAN's captioner p(d|E) and language prior p(d) on annotated exemplars.");
        foreach (var option in new Option[] { data, encoder, arch, holdOut, patience, maxEpochs, seed, device, cache, dataDir, output }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            var chosenDevice = DeviceChoice.Parse(parseResult.GetValue(device));
            int chosenSeed = parseResult.GetValue(seed);
            var options = new MilanTrainingOptions
            {
                HoldOut = parseResult.GetValue(holdOut),
                SplitSeed = chosenSeed,
                Captioner = new CaptionerTrainingSettings { Patience = parseResult.GetValue(patience), MaxEpochs = parseResult.GetValue(maxEpochs), Seed = chosenSeed },
                LanguageModel = new LanguageModelTrainingSettings { MaxEpochs = parseResult.GetValue(maxEpochs), Seed = chosenSeed },
            };
            string cacheFolder = parseResult.GetValue(cache) ?? Path.Combine(MilanRoots.Results, "features");
            string outFolder = parseResult.GetValue(output)!;
            if (Directory.Exists(outFolder)) throw new MilanInputException($"--out {outFolder}: already exists; choose a new folder");
            var report = ConsoleProgress.Run(progress =>
            {
                using var dataset = MilannotationsDataset.Load(parseResult.GetValue(data)!, new TopImagesLoadOptions { DataRoot = parseResult.GetValue(dataDir) }, progress);
                using var pyramid = PyramidEncoder.FromWeights(parseResult.GetValue(encoder)!, parseResult.GetValue(arch), chosenDevice);
                using var model = MilanModel.Train(dataset, pyramid, cacheFolder, options, ValidationMetric.Bleu, progress);
                model.Save(outFolder);
                return model.Card.Training!;
            });
            AnsiConsole.MarkupLineInterpolated(
                $"trained on {report.Neurons} neurons ({report.Annotations} annotations); validation BLEU {report.Captioner.BestValue:F2} at epoch {report.Captioner.BestEpoch} of {report.Captioner.Epochs}; model in {outFolder}");
            return 0;
        }));
        return command;
    }
}
