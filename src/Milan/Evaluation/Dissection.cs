using Milan.Annotations;
using Milan.Corpus;
using Milan.Datasets;
using Milan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Evaluation;

/// <summary>Runs NetDissect and CompExp over the units of a model's layers on a probe set with concept masks.</summary>
public static class Dissection
{
    /// <summary>Any model and probe set: <paramref name="masks"/> must describe the images of <paramref name="probe"/> in order.</summary>
    public static DissectionResult Run(string modelName, nn.Module<Tensor, Tensor> model, IReadOnlyList<(string Layer, string ModulePath)> layers,
        IImageSource probe, IConceptMasks masks, DissectionOptions options, Device device, IProgress<WorkProgress>? progress = null)
    {
        if (masks.Count != probe.Count)
            throw new MilanInputException($"concept masks cover {masks.Count} images, the probe set has {probe.Count}; expected one mask set per probe image");
        int maskSize = options.MaskSize ?? Math.Max(1, masks.ImageSize / 2);
        var concepts = ConceptPixels.Build(masks, maskSize, options.BatchSize, progress);
        var activations = ProbeActivations.Compute(model, layers, probe, device, options.BatchSize, progress);
        var nd = new List<UnitLabel>();
        var ce = new List<UnitLabel>();
        try
        {
            foreach (var (layer, _) in layers)
            {
                var units = UnitPixels.Build(activations[layer], maskSize, options.TopQuantile, options.BatchSize);
                for (int u = 0; u < units.Count; u++)
                {
                    nd.Add(NetDissect.Label(layer, u, units[u], concepts));
                    ce.Add(CompExp.Explain(layer, u, units[u], concepts, options));
                    progress?.Report(new WorkProgress("dissect " + modelName, u + 1, units.Count, layer));
                }
            }
        }
        finally
        {
            foreach (var t in activations.Values) t.Dispose();
        }
        return new DissectionResult(modelName, nd, ce, options);
    }

    /// <summary>
    /// A key of the bundled world corpus (<c>resnet18/world-a</c>): its subject model, the probed split
    /// its exemplars were computed on, and that split's exact concept masks, read from
    /// <c>world-corpus.json</c>; all units of the key's layers.
    /// </summary>
    public static DissectionResult ForWorldKey(string key, string dataRoot, string modelsRoot, DissectionOptions options, Device device,
        IProgress<WorkProgress>? progress = null)
    {
        var manifest = WorldCorpusManifest.Read(dataRoot)
            ?? throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), "not found; build the world corpus first (milan milannotations build)");
        if (!manifest.Datasets.TryGetValue(key, out var dataset))
            throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), $"no dataset '{key}'; expected one of {string.Join(", ", manifest.Datasets.Keys)}");
        using var subject = TrainedSubject.Load(manifest.SubjectFolder(key, modelsRoot), device);
        string probeFolder = manifest.ProbeSplit(key, dataRoot);
        using var probe = new NpyImageSource(probeFolder);
        using var masks = new WorldConceptSource(probeFolder);
        var layers = dataset.Layers.Select(l => (l, subject.Model.ModulePath(l))).ToList();
        return Run(key, subject.Model, layers, probe, masks, options, device, progress);
    }
}
