using System.CommandLine;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Evaluation;
using Milan.Language;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>milan evaluate --data &lt;key&gt; (--descriptions &lt;csv&gt; | --milan &lt;model folder&gt;)</c>: agreement of
/// descriptions with a dataset's annotations, beside the annotators' own agreement, with bootstrap intervals.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Annotated units: a key (resnet18/world-a), grouping, glob or folder.", Required = true };
        var descriptions = new Option<string?>("--descriptions") { Description = "A descriptions CSV (layer,unit,description[,model]) as 'milan describe' writes." };
        var model = new Option<string?>("--model") { Description = "The model the CSV describes when it has no 'model' column (default: the --data key, if it is one dataset)." };
        var milan = new Option<string?>("--milan") { Description = "A trained MILAN folder: describe the --data units with it, then evaluate." };
        var encoder = new Option<string?>("--encoder") { Description = "Encoder weights for --milan (default: the file in its card)." };
        var strategy = new Option<string>("--strategy") { Description = "Decoding for --milan: rerank (MILAN) | greedy (p(d|E)) | beam.", DefaultValueFactory = _ => "rerank" };
        var beam = new Option<int>("--beam") { Description = "Beam size for rerank and beam.", DefaultValueFactory = _ => 50 };
        var roberta = new Option<string?>("--roberta") { Description = "Folder with roberta-large (config.json, model.safetensors, vocab.json, merges.txt): the paper's BERTScore (layer 17, idf, rescaled). Default: the offline WordNet similarity (not BERTScore-roberta)." };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples per interval.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var dataDir = DataCommand.DataDirOption();
        var output = new Option<string?>("--out") { Description = "CSV of every row (method,metric,scope,group,value,lower,upper,units)." };
        var command = new Command("evaluate", "Score descriptions against the annotations of the same units (BERTScore, BLEU, ROUGE-L, CIDEr-D), per model and layer, beside inter-annotator agreement.");
        foreach (var option in new Option[] { data, descriptions, model, milan, encoder, strategy, beam, roberta, resamples, seed, device, dataDir, output }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            string? csv = parseResult.GetValue(descriptions), milanFolder = parseResult.GetValue(milan);
            if ((csv is null) == (milanFolder is null)) throw new MilanInputException("give exactly one of --descriptions and --milan");
            var chosenDevice = DeviceChoice.Parse(parseResult.GetValue(device));
            var options = new AgreementOptions { Resamples = parseResult.GetValue(resamples), Seed = parseResult.GetValue(seed) };
            var rows = ConsoleProgress.Run(progress =>
            {
                using var dataset = MilannotationsDataset.Load(parseResult.GetValue(data)!, new TopImagesLoadOptions { DataRoot = parseResult.GetValue(dataDir) }, progress);
                var units = AnnotatedUnit.From(dataset.Samples);
                IReadOnlyDictionary<string, string> described;
                string method;
                if (csv is not null)
                {
                    string? owner = parseResult.GetValue(model) ?? (dataset.Keys.Count == 1 ? dataset.Keys[0].Name : null);
                    described = DescriptionsFile.Read(csv, owner);
                    method = Path.GetFileNameWithoutExtension(csv);
                }
                else
                {
                    using var trained = MilanModel.LoadWithEncoder(milanFolder!, parseResult.GetValue(encoder), chosenDevice);
                    var chosen = DecodingOptions.ParseStrategy(parseResult.GetValue(strategy)!, "--strategy");
                    var decoded = trained.Describe(dataset.Samples.Select(NeuronExemplars.From).ToList(),
                        trained.Card.Decoding with { Strategy = chosen, BeamSize = parseResult.GetValue(beam) }, progress);
                    described = units.Zip(decoded).ToDictionary(p => p.First.Key, p => p.Second.Description);
                    method = $"milan ({chosen.ToString().ToLowerInvariant()})";
                }
                RobertaTokenEncoder? robertaEncoder = null;
                try
                {
                    BertScorer? scorer = null;
                    if (parseResult.GetValue(roberta) is { } robertaFolder)
                        (scorer, robertaEncoder) = RobertaTokenEncoder.CreatePaperScorer(robertaFolder, chosenDevice);
                    var metrics = new DescriptionMetrics(scorer);
                    var result = Agreement.Evaluate(units, new Dictionary<string, IReadOnlyDictionary<string, string>> { [method] = described }, metrics, options, progress: progress);
                    AnsiConsole.MarkupLineInterpolated($"BERTScore: {metrics.BertScoreModelName}");
                    return result;
                }
                finally
                {
                    robertaEncoder?.Dispose();
                }
            });
            var table = new Table().AddColumns("scope", "group", "method", "metric", "value", "95% interval", "units");
            foreach (var r in rows.Where(r => r.Scope != "layer" || rows.Count < 400))
                table.AddRow(r.Scope, Markup.Escape(r.Group), Markup.Escape(r.Method), r.Metric, $"{r.Interval.Value:F3}", Markup.Escape($"[{r.Interval.Lower:F3}, {r.Interval.Upper:F3}]"), $"{r.Interval.Count}");
            AnsiConsole.Write(table);
            if (parseResult.GetValue(output) is { } outPath)
            {
                Agreement.WriteCsv(outPath, rows);
                AnsiConsole.MarkupLineInterpolated($"rows written to {outPath}");
            }
            return 0;
        }));
        return command;
    }
}
