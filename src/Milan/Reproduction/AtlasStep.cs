using Milan.Annotations;
using Milan.Corpus;
using Milan.Experiments;
using Milan.Models.Onnx;

namespace Milan.Reproduction;

/// <summary>
/// The <c>atlas</c> step of <c>milan reproduce</c>: the site of units (<see cref="ExemplarAtlas"/>,
/// docs/atlas.md) of every dataset of the world corpus, with its simulated annotations, into
/// &lt;results&gt;/atlas/world, and of the real network's exemplars when the real-network step wrote
/// them (with its descriptions when there are any) into &lt;results&gt;/atlas/real-network. Both are
/// drawn again on every run (seconds for the world, about a minute for the real network), so they
/// never show stale exemplars; the report links them.
/// </summary>
public static class AtlasStep
{
    public const string Name = "atlas";

    public static string Folder(ReproductionRoots roots) => Path.Combine(roots.Results, Name);

    public static string WorldAtlas(ReproductionRoots roots) => Path.Combine(Folder(roots), "world");

    public static string RealNetworkAtlas(ReproductionRoots roots) => Path.Combine(Folder(roots), RealNetworkStep.Name);

    public static ReproductionStep Step { get; } = new(Name,
        "a browsable offline site of every unit of the world corpus, and of the real network when its exemplars exist (milan atlas)", Run);

    public static StepOutcome Run(ReproductionContext context)
    {
        var corpus = WorldCorpusManifest.Read(context.Roots.Data);
        if (corpus is null) return StepOutcome.SkippedWith([], $"no world corpus under {context.Roots.Data}; the corpus step builds it");
        var layout = new WorldCorpusLayout(context.Roots.Data, context.Roots.Models);
        var world = corpus.Datasets.Keys.Order(StringComparer.Ordinal)
            .Select(key => DatasetKeys.ForFolder(layout.Exemplars(key), key, context.Roots.Data)).ToArray();
        Replace(WorldAtlas(context.Roots), folder => ExemplarAtlas.Write(world, folder, progress: context.Progress, dataRoot: context.Roots.Data));
        var numbers = new List<KeyNumber>
        {
            KeyNumber.Of("atlas: world units", corpus.Datasets.Values.Sum(d => (long)d.Units),
                $"{world.Length} datasets; {Path.Combine(WorldAtlas(context.Roots), "index.html")}"),
        };
        string message = $"wrote {WorldAtlas(context.Roots)}";

        string real = RealNetworkStep.OutputFolder(context.Roots);
        if (Directory.Exists(real) && DatasetKeys.IsDatasetFolder(real))
        {
            string descriptions = RealNetworkStep.DescriptionsPath(context.Roots);
            Replace(RealNetworkAtlas(context.Roots), folder => ExemplarAtlas.Write(
                [DatasetKeys.ForFolder(real, $"{RealNetworkStep.Name}/{NuGetResNet18.ModelName}", context.Roots.Data)], folder, File.Exists(descriptions) ? descriptions : null, progress: context.Progress, dataRoot: context.Roots.Data));
            message += $" and {RealNetworkAtlas(context.Roots)}";
        }
        return StepOutcome.Done(numbers, message);
    }

    /// <summary>Removes an earlier atlas and writes the new one (the writer refuses an existing folder).</summary>
    private static void Replace(string folder, Action<string> write)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        write(folder);
    }
}
