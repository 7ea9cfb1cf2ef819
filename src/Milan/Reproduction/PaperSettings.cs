using Milan.Annotations;
using Milan.Experiments;
using Milan.Language;

namespace Milan.Reproduction;

/// <summary>
/// What the paper profile runs on and at which sizes: the MILANNOTATIONS keys (default all seven
/// annotated ones) and the tables' MILAN settings, the reference's by default (5 trials, hidden 512,
/// beam 50, patience 4, up to 100 epochs; <see cref="TableSettings"/>). <c>milan reproduce --profile
/// paper --keys … --trials … --max-epochs …</c> narrows them, e.g. for a first look on fewer GPU hours.
/// </summary>
public sealed record PaperSettings
{
    /// <summary>The reference's base grouping: the keys milan-base.pth was trained on.</summary>
    public static IReadOnlyList<string> BaseKeys => DatasetKeys.Groupings["base"];

    public IReadOnlyList<string> Keys { get; init; } = PaperInputs.DefaultKeys;

    public TableSettings Tables { get; init; } = new TableSettings();

    /// <summary>The keys, resolved under <paramref name="dataRoot"/> (each must be a registered annotated key).</summary>
    public IReadOnlyList<DatasetKey> ResolveKeys(string dataRoot)
    {
        var keys = DatasetKeys.Resolve(string.Join(",", Keys), dataRoot);
        var unannotated = keys.FirstOrDefault(k => k.AnnotationCount is null || k.ArchiveName is null);
        if (unannotated is not null)
            throw new MilanInputException($"--keys: {unannotated.Name} is not one of the annotated MILANNOTATIONS keys ({string.Join(", ", DatasetKeys.Annotated)})");
        return keys;
    }

    /// <summary>How the BERTScore model is described next to every number: its folder and size, so a stand-in is visible.</summary>
    public string MetricNote(string modelsRoot)
    {
        string folder = Path.Combine(modelsRoot, PaperInputs.RobertaFolder);
        var config = RobertaConfig.Load(Path.Combine(folder, "config.json"));
        return $"BERTScore F (idf, rescaled) over {folder} at layer 17 ({config.LayerCount} layers of width {config.HiddenSize})";
    }
}
