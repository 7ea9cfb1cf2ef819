using System.CommandLine;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Evaluation;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary><c>milan describe --exemplars &lt;folder&gt; --model &lt;dir&gt; --out descriptions.csv</c>: describes every unit.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var exemplars = new Option<string>("--exemplars")
        {
            Description = "Exemplars to describe: a folder in the MILANNOTATIONS layout (layer folders with images.npy and masks.npy), or a key.",
            Required = true,
        };
        var modelFolder = new Option<string>("--model")
        {
            Description = "A folder written by 'milan train', or a reference checkpoint milan-<group>.pth (its encoder is inside; docs/captioning.md).",
            Required = true,
        };
        var encoder = new Option<string?>("--encoder") { Description = "Encoder weights (default: the file recorded in the model card; its SHA-256 must match)." };
        var strategy = new Option<string>("--strategy") { Description = "rerank (PMI, the default) | beam | greedy | sample.", DefaultValueFactory = _ => "rerank" };
        var lambda = new Option<double>("--lambda") { Description = "Weight of log p(d) in the rerank.", DefaultValueFactory = _ => 0.2 };
        var beam = new Option<int>("--beam") { Description = "Beam size.", DefaultValueFactory = _ => 50 };
        var referenceLm = new Option<bool>("--reference-lm-scoring") { Description = "Score the beam with the reference's off-by-one LM term (parity checks only)." };
        var allowEmpty = new Option<bool>("--allow-empty") { Description = "Let a description be empty, as the reference's search does (by default every description has a word; docs/captioning.md)." };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var dataDir = DataCommand.DataDirOption();
        var output = new Option<string>("--out") { Description = "CSV to write (columns layer, unit, description).", Required = true };

        var command = new Command("describe", "Describe units from their exemplars with a trained MILAN.");
        foreach (var option in new Option[] { exemplars, modelFolder, encoder, strategy, lambda, beam, referenceLm, allowEmpty, device, dataDir, output }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            var chosen = DecodingOptions.ParseStrategy(parseResult.GetValue(strategy)!, "--strategy");
            var chosenDevice = DeviceChoice.Parse(parseResult.GetValue(device));
            string outPath = parseResult.GetValue(output)!;
            int count = ConsoleProgress.Run(progress =>
            {
                using var model = MilanModel.LoadWithEncoder(parseResult.GetValue(modelFolder)!, parseResult.GetValue(encoder), chosenDevice);
                var options = model.Card.Decoding with
                {
                    Strategy = chosen,
                    Lambda = parseResult.GetValue(lambda),
                    BeamSize = parseResult.GetValue(beam),
                    LmScoring = parseResult.GetValue(referenceLm) ? LmScoring.ReferenceQuirk : LmScoring.Corrected,
                    AllowEmpty = parseResult.GetValue(allowEmpty),
                };
                var load = new TopImagesLoadOptions { DataRoot = parseResult.GetValue(dataDir), LoadAnnotations = false };
                using var dataset = MilannotationsDataset.Load(parseResult.GetValue(exemplars)!, load, progress);
                var described = model.Describe(dataset.Samples.Select(NeuronExemplars.From).ToList(), options, progress);
                // A file over several datasets names each unit's model, so that units of the same name stay apart.
                bool several = dataset.Keys.Count > 1;
                DescriptionsFile.Write(outPath, dataset.Samples.Zip(described, (s, d) => new DescribedUnit(several ? s.Dataset : null, s.Layer, s.Unit, d.Description)));
                return described.Count;
            });
            AnsiConsole.MarkupLineInterpolated($"described {count} units into {outPath}");
            return 0;
        }));
        return command;
    }
}
