using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Milan.Evaluation;

/// <summary>Every concept's pixels over the probe set at one mask size, with their areas.</summary>
public sealed record ConceptPixels(IReadOnlyList<string> Names, IReadOnlyList<PixelSet> Sets, long[] Areas, int Images, int MaskSize)
{
    /// <summary>Reads the masks batch by batch and resamples them (nearest neighbour) to <paramref name="maskSize"/>.</summary>
    public static ConceptPixels Build(IConceptMasks masks, int maskSize, int batchSize = 100, IProgress<WorkProgress>? progress = null)
    {
        int n = masks.Count, c = masks.ConceptNames.Count;
        long perImage = (long)maskSize * maskSize;
        var sets = Enumerable.Range(0, c).Select(_ => new PixelSet(n * perImage)).ToArray();
        for (int start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, n - start);
            var batch = masks.Batch(Enumerable.Range(start, count).ToArray()).to(ScalarType.Float32);
            if (batch.shape[2] != maskSize)
                batch = F.interpolate(batch, [maskSize, maskSize], mode: InterpolationMode.Nearest);
            var bytes = batch.gt(0.5f).permute(1, 0, 2, 3).contiguous().to(ScalarType.Byte).bytes.ToArray();
            long block = count * perImage;
            for (int k = 0; k < c; k++)
                sets[k].SetFrom(bytes.AsSpan((int)(k * block), (int)block), start * perImage);
            progress?.Report(new WorkProgress("concept masks", start + count, n));
        }
        return new ConceptPixels(masks.ConceptNames, sets, sets.Select(s => s.Count()).ToArray(), n, maskSize);
    }
}

/// <summary>Units' masks over the probe set: activations upsampled to the mask size and thresholded.</summary>
public static class UnitPixels
{
    /// <summary>
    /// Per unit: threshold = the (1 − <paramref name="topQuantile"/>) quantile of its activations
    /// (N, U, h, w) over every image and position (linear interpolation); mask = bilinear upsampling
    /// (align_corners false, as PIL's resize) to <paramref name="maskSize"/>, strictly above the
    /// threshold, as NetDissect-Lite and CompExp.
    /// </summary>
    public static IReadOnlyList<PixelSet> Build(Tensor activations, int maskSize, double topQuantile, int batchSize = 100)
    {
        if (activations.dim() != 4) throw new MilanInputException($"activations must be (images, units, h, w); got [{string.Join(",", activations.shape)}]");
        int n = (int)activations.shape[0], units = (int)activations.shape[1];
        long perImage = (long)maskSize * maskSize;
        using var thresholds = Thresholds(activations, topQuantile);
        var sets = Enumerable.Range(0, units).Select(_ => new PixelSet(n * perImage)).ToArray();
        for (int start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, n - start);
            var batch = activations.narrow(0, start, count).to(ScalarType.Float32);
            if (batch.shape[2] != maskSize || batch.shape[3] != maskSize)
                batch = F.interpolate(batch, [maskSize, maskSize], mode: InterpolationMode.Bilinear, align_corners: false);
            var bytes = batch.gt(thresholds.view(1, units, 1, 1)).permute(1, 0, 2, 3).contiguous().to(ScalarType.Byte).bytes.ToArray();
            long block = count * perImage;
            for (int u = 0; u < units; u++)
                sets[u].SetFrom(bytes.AsSpan((int)(u * block), (int)block), start * perImage);
        }
        return sets;
    }

    /// <summary>The per-unit thresholds (U,) of <see cref="Build"/>.</summary>
    public static Tensor Thresholds(Tensor activations, double topQuantile)
    {
        int units = (int)activations.shape[1];
        var values = new float[units];
        for (int u = 0; u < units; u++)
        {
            using var scope = NewDisposeScope();
            var flat = activations.select(1, u).reshape(-1).to(ScalarType.Float64);
            values[u] = (float)quantile(flat, 1 - topQuantile).item<double>();
        }
        return tensor(values);
    }
}
