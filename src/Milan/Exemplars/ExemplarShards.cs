using Milan.Datasets;
using Milan.IO;
using Milan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Exemplars;

/// <summary>
/// The exemplar computation split over machines (docs/sharding.md): <see cref="Compute"/> runs pass 1
/// on one slice of the image source (<see cref="ShardSlice"/>) and writes each layer's mergeable state
/// to a shard folder; <see cref="Merge"/> reads the n shard folders of a run, merges the states and
/// writes the layout as <see cref="ExemplarComputation.Run(nn.Module{Tensor, Tensor}, IReadOnlyList{ExemplarLayer}, IImageSource, string, ExemplarOptions?, IProgress{WorkProgress}?)"/>
/// does. The top-k (ties to the lower image index) and the exact quantile merge exactly, and slices
/// follow the unsharded run's batches, so with the exact quantile the merged folder is the unsharded
/// one byte for byte. A sketched quantile merges within its recorded bound, not to the same bytes.
/// Scheduling the shards is left to a real scheduler (Slurm job arrays, Kubernetes Indexed Jobs).
/// <code>
/// &lt;shard&gt;/shard.json              what the shard is (ExemplarShardManifest)
/// &lt;shard&gt;/&lt;layer&gt;.safetensors     the layer's top-k, their feature maps and the quantile's state
/// </code>
/// </summary>
public static class ExemplarShards
{
    /// <summary>
    /// Pass 1 over shard <paramref name="slice"/> of <paramref name="source"/>, written to
    /// <paramref name="shardFolder"/> atomically. A finished folder of the same run and shard is kept
    /// (a retried job does nothing); one of another run is an error. Returns whether it was computed now.
    /// </summary>
    public static bool Compute(nn.Module<Tensor, Tensor> model, IReadOnlyList<ExemplarLayer> layers, IImageSource source, ShardSlice slice,
                               string shardFolder, ExemplarOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        options ??= new ExemplarOptions();
        options.Validate(source);
        ExemplarLayout.CheckLayerNames(layers.Select(l => l.Name).ToList());
        foreach (var layer in layers) ModulePaths.Find(model, layer.ModulePath);
        var manifest = ExemplarShardManifest.For(options, source, layers, slice);
        if (Directory.Exists(shardFolder))
        {
            var existing = ExemplarShardManifest.Read(shardFolder);
            if (existing.SameRun(manifest) && existing.Shard == manifest.Shard)
            {
                progress?.Report(new WorkProgress($"exemplars shard {slice}", 1, 1, "already written, skipped"));
                return false;
            }
            throw MilanInputException.InFile(Path.Combine(shardFolder, ExemplarShardManifest.FileName),
                $"the folder holds shard {existing.Shard}/{existing.Shards} of another run or another shard; use another folder or delete it");
        }
        // No clean-up of ".partial-" leftovers here: shards running at the same time may share the parent folder.
        // Each shard's sketch draws its own coins (seed + shard index), so that the shards' errors stay independent.
        var accumulators = ExemplarComputation.Accumulate(model, layers, source, options, manifest.FirstImage, manifest.EndImage,
                                                          options.Seed + slice.Index, progress);
        try
        {
            AtomicDirectory.Create(shardFolder, folder =>
            {
                foreach (var accumulator in accumulators) accumulator.Save(ExemplarShardManifest.LayerStateFile(folder, accumulator.Layer));
                manifest.Write(folder);
            });
            return true;
        }
        finally
        {
            foreach (var accumulator in accumulators) accumulator.Dispose();
        }
    }

    /// <summary>
    /// Merges the shard folders of one run (all n of them, in any order) and writes the layout into
    /// <paramref name="outFolder"/>: layers already there are skipped, a folder of other settings is
    /// refused. <paramref name="source"/> is the run's image source (its bytes are what pass 2 writes);
    /// the statistics are merged on <paramref name="device"/>.
    /// </summary>
    public static ExemplarRun Merge(IReadOnlyList<string> shardFolders, IImageSource source, string outFolder, bool contactSheets, Device device,
                                    IProgress<WorkProgress>? progress = null)
    {
        var shards = ReadRun(shardFolders);
        var first = shards[0].Manifest;
        if (source.Count != first.Settings.ImageCount || source.ImageSize != first.Settings.ImageSize)
            throw MilanInputException.InFile(source.Description,
                $"the shards were computed on {first.Settings.ImageCount} images of {first.Settings.ImageSize} px, this source has {source.Count} of {source.ImageSize} px");
        var options = first.Options(contactSheets);
        options.Validate(source);
        var (manifest, pending, skipped) = ExemplarComputation.PrepareLayout(first.Layers, source, outFolder, options, progress);
        foreach (var layer in pending)
        {
            using var exemplars = MergeLayer(shards, layer, options, device, progress);
            manifest = ExemplarComputation.WriteLayer(outFolder, manifest, exemplars, source, options, device, progress);
        }
        return new ExemplarRun(ExemplarComputation.Names(pending), ExemplarComputation.Names(skipped));
    }

    /// <summary>The shards' manifests, checked to be all n shards of one run, in shard order.</summary>
    private static List<(string Folder, ExemplarShardManifest Manifest)> ReadRun(IReadOnlyList<string> shardFolders)
    {
        if (shardFolders.Count == 0) throw new MilanInputException("exemplars merge: no shard folders given");
        var shards = shardFolders.Select(f => (Folder: Path.GetFullPath(f), Manifest: ExemplarShardManifest.Read(f))).ToList();
        var first = shards[0];
        foreach (var shard in shards.Skip(1))
        {
            if (!shard.Manifest.SameRun(first.Manifest))
                throw MilanInputException.InFile(Path.Combine(shard.Folder, ExemplarShardManifest.FileName),
                    $"belongs to another run than {first.Folder} (settings, layers, batch size or shard count differ)");
        }
        int count = first.Manifest.Shards;
        var repeated = shards.GroupBy(s => s.Manifest.Shard).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new MilanInputException($"exemplars merge: shard {repeated.Key}/{count} is given twice ({string.Join(", ", repeated.Select(s => s.Folder))})");
        var missing = Enumerable.Range(0, count).Except(shards.Select(s => s.Manifest.Shard)).ToList();
        if (missing.Count > 0)
            throw new MilanInputException($"exemplars merge: shard(s) {string.Join(", ", missing.Select(m => $"{m}/{count}"))} missing; all {count} shards of the run are needed");
        foreach (var shard in shards)
        {
            var (expectedFirst, expectedEnd) = new ShardSlice(shard.Manifest.Shard, count).Images(shard.Manifest.Settings.ImageCount, shard.Manifest.BatchSize);
            if (shard.Manifest.FirstImage != expectedFirst || shard.Manifest.EndImage != expectedEnd)
                throw MilanInputException.InFile(Path.Combine(shard.Folder, ExemplarShardManifest.FileName),
                    $"images [{shard.Manifest.FirstImage}, {shard.Manifest.EndImage}) are not shard {shard.Manifest.Shard}/{count}'s [{expectedFirst}, {expectedEnd})");
        }
        return shards.OrderBy(s => s.Manifest.Shard).ToList();
    }

    /// <summary>One layer's state of every shard, merged in shard order, as exemplars (CPU tensors).</summary>
    private static LayerExemplars MergeLayer(List<(string Folder, ExemplarShardManifest Manifest)> shards, ExemplarLayer layer,
                                             ExemplarOptions options, Device device, IProgress<WorkProgress>? progress)
    {
        string task = $"exemplars merge {layer.Name}";
        int imageCount = shards[0].Manifest.Settings.ImageCount;
        LayerAccumulator? merged = null;
        try
        {
            for (int i = 0; i < shards.Count; i++)
            {
                string file = ExemplarShardManifest.LayerStateFile(shards[i].Folder, layer.Name);
                if (!File.Exists(file)) throw MilanInputException.InFile(shards[i].Folder, $"no state of layer '{layer.Name}' ({Path.GetFileName(file)})");
                var state = LayerAccumulator.Load(file, options, imageCount, options.Seed + i, device);
                if (merged is null || merged.IsEmpty)
                {
                    merged?.Dispose();
                    merged = state;
                }
                else
                {
                    using (state) merged.Merge(state);
                }
                progress?.Report(new WorkProgress(task, i + 1, shards.Count));
            }
            return merged!.Finish();
        }
        finally
        {
            merged?.Dispose();
        }
    }
}
