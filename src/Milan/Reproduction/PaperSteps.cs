using System.Globalization;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Evaluation;
using Milan.IO;
using Milan.Language;

namespace Milan.Reproduction;

/// <summary>
/// The steps of <c>milan reproduce --profile paper</c> (docs/reproduce.md), on the downloaded
/// MILANNOTATIONS keys, the reference's milan-base.pth and roberta-large (<see cref="PaperInputs"/>):
/// <list type="number">
/// <item><c>exemplars</c>: opens every key as shipped, merging the ImageNet keys' exemplar images from the
/// ImageNet validation folder by ids.csv;</item>
/// <item><c>pretrained</c>: the reference's pretrained MILAN describes every unit of every key (its own
/// decoding defaults: rerank, λ 0.2, beam 50), scored against the human annotations with the paper's
/// BERTScore;</item>
/// <item><c>tables</c>: the Table 2 and Table 3 protocols (<see cref="PaperTables"/>).</item>
/// </list>
/// </summary>
public static class PaperSteps
{
    public static IReadOnlyList<ReproductionStep> For(PaperSettings settings) =>
    [
        Exemplars(settings),
        Pretrained(settings),
        Tables(settings),
    ];

    /// <summary>The folder of the paper profile's outputs under the results root.</summary>
    public static string Folder(string resultsRoot) => Path.Combine(resultsRoot, "paper");

    public static ReproductionStep Exemplars(PaperSettings settings) => new("exemplars",
        "the MILANNOTATIONS keys as shipped, ImageNet exemplar images merged from the validation folder by ids.csv", context =>
        {
            var numbers = new List<KeyNumber>();
            var merged = new List<string>();
            foreach (var key in settings.ResolveKeys(context.Roots.Data))
            {
                bool needsMerge = PaperInputs.NeedsImageNetImages(key);
                using var data = MilannotationsDataset.Load(key.Name, [key], new TopImagesLoadOptions { DataRoot = context.Roots.Data }, context.Progress);
                if (needsMerge) merged.Add(key.Name);
                numbers.Add(new KeyNumber($"{key.Name} units / annotations",
                    string.Create(CultureInfo.InvariantCulture, $"{data.Samples.Count} / {data.Samples.Sum(s => s.Annotations.Count)}"),
                    $"{data.Parts[0].Layers.Count} layers; units with at least 3 human descriptions (the reference's loader policy)"));
            }
            return new StepOutcome(merged.Count == 0, numbers, Message: merged.Count == 0
                ? "every key was complete"
                : $"merged the exemplar images of {string.Join(", ", merged)}");
        });

    public static ReproductionStep Pretrained(PaperSettings settings) => new("pretrained",
        "the reference's pretrained MILAN (milan-base.pth) describes every unit; BERTScore against the human annotations", context =>
        {
            string folder = Path.Combine(Folder(context.Roots.Results), "pretrained");
            Directory.CreateDirectory(folder);
            string checkpoint = Path.Combine(context.Roots.Models, PaperInputs.CheckpointFile);
            string checkpointSha = EncoderDescription.Sha256Of(checkpoint);
            var keys = settings.ResolveKeys(context.Roots.Data);
            MilanModel? model = null;
            var (scorer, encoder) = RobertaTokenEncoder.CreatePaperScorer(Path.Combine(context.Roots.Models, PaperInputs.RobertaFolder), context.Device);
            try
            {
                var metrics = new DescriptionMetrics(scorer);
                var numbers = new List<KeyNumber>();
                bool reused = true;
                foreach (var key in keys)
                {
                    using var data = MilannotationsDataset.Load(key.Name, [key], new TopImagesLoadOptions { DataRoot = context.Roots.Data }, context.Progress);
                    var units = data.Samples.Select(s => new AnnotatedUnit(s.Dataset, s.Layer, s.Unit, s.Annotations)).ToList();
                    string csv = Path.Combine(folder, key.Name.Replace('/', '-') + "-descriptions.csv");
                    string stamp = csv + ".sha256";
                    IReadOnlyList<string> descriptions;
                    if (!context.Forced("pretrained") && File.Exists(csv) && File.Exists(stamp) && File.ReadAllText(stamp).Trim() == checkpointSha)
                    {
                        var saved = DescriptionsFile.Read(csv, units.FirstOrDefault()?.Model ?? key.Name);
                        descriptions = units.Select(u => saved.TryGetValue(u.Key, out var d) ? d
                            : throw MilanInputException.InFile(csv, $"no description of {u.Key}; remove the file to describe again")).ToList();
                    }
                    else
                    {
                        reused = false;
                        model ??= MilanModel.LoadReference(checkpoint, context.Device);
                        descriptions = model.Describe(data.Samples.Select(NeuronExemplars.From).ToList(), progress: context.Progress)
                            .Select(d => d.Description).ToList();
                        DescriptionsFile.Write(csv, data.Samples.Zip(descriptions, (s, d) => new DescribedUnit(null, s.Layer, s.Unit, d)));
                        AtomicFile.WriteAllText(stamp, checkpointSha + "\n");
                    }
                    var comparable = Enumerable.Range(0, units.Count).Where(i => Agreement.Comparable([units[i]]).Count == 1).ToList();
                    var scores = Agreement.Method(comparable.Select(i => units[i]).ToList(), comparable.Select(i => descriptions[i]).ToList(), metrics, context.Progress);
                    var interval = scores.Interval(MetricNames.BertScoreF, Enumerable.Range(0, comparable.Count).ToArray(), settings.Tables.Resamples, seed: 0);
                    bool inSample = PaperSettings.BaseKeys.Contains(key.Name);
                    numbers.Add(new KeyNumber($"pretrained milan-base on {key.Name}: BERTScore F",
                        FormattableString.Invariant($"{interval.Value:0.000} [{interval.Lower:0.000}, {interval.Upper:0.000}]"),
                        $"{comparable.Count} units; {settings.MetricNote(context.Roots.Models)}; "
                        + (inSample ? "milan-base was trained on these units (in-sample, not a held-out figure)" : "held out from milan-base's training data")));
                }
                return new StepOutcome(reused, numbers, Message: $"descriptions in {folder}");
            }
            finally
            {
                model?.Dispose();
                encoder.Dispose();
            }
        });

    public static ReproductionStep Tables(PaperSettings settings) => new("tables",
        "Table 2 (leave-one-out; p(d|E) greedy and MILAN pmi) and Table 3 (the generalization splits) over the MILANNOTATIONS keys",
        context => PaperTables.Run(settings, context));
}
