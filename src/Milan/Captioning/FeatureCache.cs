using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Milan.Datasets;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Exemplar features computed once per (encoder, dataset) and kept on disk: <c>features-&lt;key&gt;.npy</c>
/// (N, K, D) float32 plus <c>features-&lt;key&gt;.json</c> saying what it is. The key is a hash of the
/// encoder's description (architecture, weights hash, layers, normalisation) and the caller's dataset
/// key, so a different encoder or dataset never reuses stale features. Files appear atomically and
/// are recorded in the folder's seal (<see cref="StageSeal"/>): damaged features are encoded again.
/// </summary>
public static class FeatureCache
{
    /// <summary>The file the features of this encoder and dataset are cached in.</summary>
    public static string PathFor(string folder, EncoderDescription encoder, string datasetKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(encoder.Key + "\n" + datasetKey));
        return System.IO.Path.Combine(folder, $"features-{Convert.ToHexStringLower(hash)[..16]}.npy");
    }

    /// <summary>
    /// The cached (N, K, D) features if present (checked against the expected count), else encodes
    /// <paramref name="neurons"/> (with progress), stores and returns them. CPU tensor.
    /// </summary>
    public static Tensor GetOrCompute(
        string folder,
        string datasetKey,
        PyramidEncoder encoder,
        IReadOnlyList<NeuronExemplars> neurons,
        IProgress<WorkProgress>? progress = null)
    {
        string path = PathFor(folder, encoder.Description, datasetKey);
        string name = System.IO.Path.GetFileName(path);
        // Cached features changed or cut short since they were written are encoded again.
        if (File.Exists(path) && StageSeal.Check(folder, SealCheck.Fast, [name]) is { Count: > 0 } problems)
        {
            progress?.Report(new WorkProgress("encode exemplars", 0, neurons.Count, $"{problems[0]}; encoding again"));
            File.Delete(path);
        }
        if (File.Exists(path))
        {
            var header = Npy.ReadHeader(path);
            if (header.Shape.Length == 3 && header.Shape[0] == neurons.Count && header.Shape[2] == encoder.FeatureSize)
                return Npy.ReadTensor(path);
            throw MilanInputException.InFile(path,
                $"cached features have shape [{string.Join(",", header.Shape)}], expected ({neurons.Count}, K, {encoder.FeatureSize}); delete the file to recompute");
        }
        if (neurons.Count == 0) throw new MilanInputException($"dataset {datasetKey}: no neurons to encode");
        NpyStreamWriter? writer = null;
        long k = 0;
        try
        {
            long done = 0;
            foreach (var batch in encoder.EncodeNeurons(neurons))
            {
                k = batch.shape[1];
                writer ??= new NpyStreamWriter(path, NpyType.Float32, neurons.Count, k, encoder.FeatureSize);
                done += batch.shape[0];
                using (batch) writer.Append(batch);
                progress?.Report(new WorkProgress("encode exemplars", done, neurons.Count, datasetKey));
            }
            writer!.Complete();
        }
        finally
        {
            writer?.Dispose();
        }
        var about = new { encoder = encoder.Description, dataset = datasetKey, shape = new[] { neurons.Count, k, encoder.FeatureSize } };
        AtomicFile.WriteAllText(System.IO.Path.ChangeExtension(path, ".json"), JsonSerializer.Serialize(about, new JsonSerializerOptions { WriteIndented = true }));
        StageSeal.Record(folder, name);
        return Npy.ReadTensor(path);
    }
}
