using Milan.Datasets;
using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Evaluation;

/// <summary>The activation maps of traced layers over a whole probe set.</summary>
public static class ProbeActivations
{
    /// <summary>
    /// Runs <paramref name="model"/> (eval mode, no gradients) over every image of
    /// <paramref name="probe"/> (ImageNet normalisation, as the exemplar stage) and returns, per layer
    /// name, the (N, U, h, w) float32 CPU activations. <paramref name="layers"/> maps layer names to
    /// module paths.
    /// </summary>
    public static IReadOnlyDictionary<string, Tensor> Compute(nn.Module<Tensor, Tensor> model, IReadOnlyList<(string Layer, string ModulePath)> layers,
        IImageSource probe, Device device, int batchSize = 100, IProgress<WorkProgress>? progress = null)
    {
        model.eval();
        using var noGrad = no_grad();
        using var trace = LayerTrace.Attach(model, layers.Select(l => l.ModulePath).ToArray());
        var chunks = layers.ToDictionary(l => l.Layer, _ => new List<Tensor>());
        try
        {
            for (int start = 0; start < probe.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, probe.Count - start);
                var input = ImageNormalization.ImageNet.Normalize(probe.ReadBytes(Enumerable.Range(start, count).ToArray()), device);
                var outputs = trace.Run(input);
                foreach (var (layer, path) in layers)
                {
                    var output = outputs[path];
                    if (output.dim() != 4) throw new MilanInputException($"layer {layer} ({path}) gives [{string.Join(",", output.shape)}]; expected (batch, units, h, w) maps");
                    chunks[layer].Add(output.to(ScalarType.Float32).cpu().MoveToOuterDisposeScope());
                }
                progress?.Report(new WorkProgress("probe activations", start + count, probe.Count));
            }
            return chunks.ToDictionary(c => c.Key, c => cat(c.Value, 0));
        }
        finally
        {
            foreach (var list in chunks.Values) foreach (var t in list) t.Dispose();
        }
    }
}
