using Milan.Datasets;
using Milan.IO;
using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Exemplars;

/// <summary>
/// Computes exemplars (milan-spec §1.2) for any traced layers of a model over an image source.
///
/// Pass 1 runs the model once over every image (all requested layers in the same forward pass) and
/// keeps, per unit, the top-k images by spatial max, the running quantile of all spatial activations,
/// and the feature maps of the current top-k images. Pass 2 touches only the needed images: it reads
/// their bytes from the source and thresholds the kept maps, upsampled with the reference's grid, at
/// the unit's quantile. Unlike the reference, pass 2 does not run the model again: the maps it would
/// recompute are the ones kept in pass 1.
/// </summary>
public static class ExemplarComputation
{
    /// <summary>
    /// Computes and writes the MILANNOTATIONS layout for each layer under <paramref name="outFolder"/>
    /// (<see cref="ExemplarLayout"/>): one folder per layer, built atomically and sealed; layers whose
    /// folder exists are skipped after their seal checks (a damaged layer, a file deleted or changed
    /// since it was written, is computed again). Records the settings in exemplars.json and refuses to
    /// add layers to a folder made with other settings. Returns the layers written and the layers skipped.
    /// </summary>
    public static ExemplarRun Run(nn.Module<Tensor, Tensor> model, IReadOnlyList<ExemplarLayer> layers, IImageSource source,
                                  string outFolder, ExemplarOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        options ??= new ExemplarOptions();
        options.Validate(source);
        ExemplarLayout.CheckLayerNames(layers.Select(l => l.Name).ToList());
        foreach (var layer in layers) ModulePaths.Find(model, layer.ModulePath);   // unknown layers fail before any output
        var (manifest, pending, skipped) = PrepareLayout(layers, source, outFolder, options, progress);
        if (pending.Count == 0) return new ExemplarRun([], Names(skipped));

        var device = DeviceOf(model);
        // The inference copy keeps every requested layer unfolded, pending or not: a layer computed again
        // alone (its folder was damaged) gets the bytes it had when computed with the others.
        var results = Finish(Accumulate(model, pending, source, options, 0, source.Count, options.Seed, progress,
                                        unfolded: layers.Select(l => l.ModulePath)));
        try
        {
            foreach (var exemplars in results) manifest = WriteLayer(outFolder, manifest, exemplars, source, options, device, progress);
        }
        finally
        {
            foreach (var exemplars in results) exemplars.Dispose();
        }
        return new ExemplarRun(Names(pending), Names(skipped));
    }

    /// <summary>
    /// Checks an output folder against the run's settings, removes leftovers of crashed runs, and splits
    /// the layers into those still to write and those already written (skipped).
    /// </summary>
    internal static (ExemplarManifest Manifest, List<ExemplarLayer> Pending, List<ExemplarLayer> Skipped) PrepareLayout(
        IReadOnlyList<ExemplarLayer> layers, IImageSource source, string outFolder, ExemplarOptions options, IProgress<WorkProgress>? progress)
    {
        var manifest = ExemplarManifest.For(options, source);
        manifest.CheckCompatible(outFolder);
        AtomicDirectory.RemoveLeftovers(outFolder);
        foreach (var layer in layers.Where(l => Directory.Exists(ExemplarLayout.LayerFolder(outFolder, l.Name))))
            if (StageSeal.DiscardIfDamaged(ExemplarLayout.LayerFolder(outFolder, layer.Name)) is { } damage)
                progress?.Report(new WorkProgress($"exemplars {layer.Name}", 0, 1, damage.Message));
        var skipped = layers.Where(l => Directory.Exists(ExemplarLayout.LayerFolder(outFolder, l.Name))).ToList();
        foreach (var layer in skipped)
            progress?.Report(new WorkProgress($"exemplars {layer.Name}", 1, 1, "already written, skipped"));
        return (manifest, layers.Except(skipped).ToList(), skipped);
    }

    /// <summary>Pass 2 for one layer (<see cref="ExemplarLayout.WriteLayer"/>), then the manifest with that layer.</summary>
    internal static ExemplarManifest WriteLayer(string outFolder, ExemplarManifest manifest, LayerExemplars exemplars, IImageSource source,
                                                ExemplarOptions options, Device device, IProgress<WorkProgress>? progress)
    {
        ExemplarLayout.WriteLayer(outFolder, exemplars, source, options, device, progress);
        manifest = manifest.WithLayer(exemplars);
        manifest.Write(outFolder);
        return manifest;
    }

    /// <summary><see cref="Run(nn.Module{Tensor, Tensor}, IReadOnlyList{ExemplarLayer}, IImageSource, string, ExemplarOptions?, IProgress{WorkProgress}?)"/> for layers named by their module paths.</summary>
    public static ExemplarRun Run(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> modulePaths, IImageSource source,
                                  string outFolder, ExemplarOptions? options = null, IProgress<WorkProgress>? progress = null) =>
        Run(model, ExemplarLayer.Of(modulePaths), source, outFolder, options, progress);

    /// <summary>
    /// Pass 1 in memory: the exemplars of each layer (top-k ids, activations, thresholds and feature
    /// maps on the CPU). The model runs on the device of its parameters, in eval mode and in inference
    /// mode (no autograd bookkeeping); its training flag is restored afterwards. A model that can runs as
    /// its <see cref="IHasInferenceCopy.InferenceCopy"/>. The caller disposes the results.
    /// </summary>
    public static IReadOnlyList<LayerExemplars> Compute(nn.Module<Tensor, Tensor> model, IReadOnlyList<ExemplarLayer> layers,
                                                        IImageSource source, ExemplarOptions? options = null,
                                                        IProgress<WorkProgress>? progress = null)
    {
        options ??= new ExemplarOptions();
        return Finish(Accumulate(model, layers, source, options, 0, source.Count, options.Seed, progress));
    }

    private static IReadOnlyList<LayerExemplars> Finish(List<LayerAccumulator> accumulators)
    {
        try
        {
            return accumulators.Select(a => a.Finish()).ToList();
        }
        finally
        {
            foreach (var accumulator in accumulators) accumulator.Dispose();
        }
    }

    /// <summary>
    /// Pass 1 over images [<paramref name="firstImage"/>, <paramref name="endImage"/>) of the source, in
    /// batches that start at <paramref name="firstImage"/>: the layers' running state (the caller disposes
    /// it). Statistics are declared for the whole source, so that shards merge (<see cref="ExemplarShards"/>).
    /// The inference copy leaves the modules of <paramref name="unfolded"/> (default: the layers) unfolded.
    /// </summary>
    internal static List<LayerAccumulator> Accumulate(nn.Module<Tensor, Tensor> model, IReadOnlyList<ExemplarLayer> layers, IImageSource source,
                                                      ExemplarOptions options, int firstImage, int endImage, int sketchSeed,
                                                      IProgress<WorkProgress>? progress, IEnumerable<string>? unfolded = null)
    {
        options.Validate(source);
        var repeated = layers.GroupBy(l => l.ModulePath).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new MilanInputException($"--layers: module '{repeated.Key}' is listed twice ({string.Join(", ", Names(repeated))})");
        var device = DeviceOf(model);
        var accumulators = layers.Select(l => new LayerAccumulator(l.Name, options, source.Count, sketchSeed)).ToList();
        bool wasTraining = model.training;
        // Our own and imported models run as a copy with the batch norms folded into the convolutions
        // (the traced layers keep their meaning; the outputs equal the original's within float rounding).
        using var folded = IHasInferenceCopy.Of(model, unfolded ?? layers.Select(l => l.ModulePath));
        var runner = folded ?? model;
        try
        {
            using var trace = LayerTrace.Attach(runner, [.. layers.Select(l => l.ModulePath)]);
            using var inference = inference_mode();
            runner.eval();
            string task = $"exemplars pass 1 ({string.Join(", ", Names(layers))})";
            progress?.Report(new WorkProgress(task, 0, endImage - firstImage));
            for (int start = firstImage; start < endImage; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(options.BatchSize, endImage - start);
                var bytes = source.ReadBytes(Enumerable.Range(start, count).ToArray());
                CheckBatch(bytes, count, source);
                var outputs = trace.Run(options.Normalization.Normalize(bytes, device));
                for (int i = 0; i < layers.Count; i++) accumulators[i].Add(outputs[layers[i].ModulePath], start);
                progress?.Report(new WorkProgress(task, start + count - firstImage, endImage - firstImage));
            }
            return accumulators;
        }
        catch
        {
            foreach (var accumulator in accumulators) accumulator.Dispose();
            throw;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary><see cref="Compute(nn.Module{Tensor, Tensor}, IReadOnlyList{ExemplarLayer}, IImageSource, ExemplarOptions?, IProgress{WorkProgress}?)"/> for layers named by their module paths.</summary>
    public static IReadOnlyList<LayerExemplars> Compute(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> modulePaths,
                                                        IImageSource source, ExemplarOptions? options = null,
                                                        IProgress<WorkProgress>? progress = null) =>
        Compute(model, ExemplarLayer.Of(modulePaths), source, options, progress);

    internal static List<string> Names(IEnumerable<ExemplarLayer> layers) => layers.Select(l => l.Name).ToList();

    /// <summary>The device of the model's first parameter or buffer (CPU for a model without any).</summary>
    public static Device DeviceOf(nn.Module model) =>
        model.parameters().Select(p => p.device).FirstOrDefault()
        ?? model.buffers().Select(b => b.device).FirstOrDefault()
        ?? CPU;

    private static void CheckBatch(Tensor bytes, int count, IImageSource source)
    {
        if (bytes.dtype != ScalarType.Byte || bytes.dim() != 4 || bytes.shape[0] != count || bytes.shape[1] != 3
            || bytes.shape[2] != source.ImageSize || bytes.shape[3] != source.ImageSize)
            throw MilanInputException.InFile(source.Description,
                $"expected {count} uint8 images of shape (3, {source.ImageSize}, {source.ImageSize}), got {bytes.dtype} [{string.Join(", ", bytes.shape)}]");
    }
}

/// <summary>What <see cref="ExemplarComputation"/>.Run did: layers written now, layers found finished.</summary>
public sealed record ExemplarRun(IReadOnlyList<string> Written, IReadOnlyList<string> Skipped);
