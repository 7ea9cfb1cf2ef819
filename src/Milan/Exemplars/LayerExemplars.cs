using static TorchSharp.torch;

namespace Milan.Exemplars;

/// <summary>
/// The exemplars of one layer in memory, all tensors on the CPU: for each kept unit, the top-k images
/// (dataset indices and pooled activations, in rank order) with their feature maps, and the unit's
/// activation threshold. Masks are computed from the maps on demand (<see cref="Masks"/>).
/// </summary>
public sealed class LayerExemplars : IDisposable
{
    internal LayerExemplars(string layer, long layerUnits, long[] units, bool unitSubset, Tensor ids, Tensor activations,
                            Tensor levels, Tensor featureMaps, QuantileMethod quantileMethod, double quantileRankError)
    {
        Layer = layer;
        LayerUnits = layerUnits;
        Units = units;
        UnitSubset = unitSubset;
        Ids = ids;
        Activations = activations;
        Levels = levels;
        FeatureMaps = featureMaps;
        QuantileMethod = quantileMethod;
        QuantileRankError = quantileRankError;
    }

    /// <summary>The layer's module path, also its folder name.</summary>
    public string Layer { get; }

    /// <summary>Channels of the layer (units before any --units subset).</summary>
    public long LayerUnits { get; }

    /// <summary>Ids of the kept units, in row order.</summary>
    public long[] Units { get; }

    /// <summary>Whether a subset of units was asked for (then units.npy is written, as the reference).</summary>
    public bool UnitSubset { get; }

    /// <summary>(units, k) int64 dataset indices, by descending pooled activation (ties: lower index first).</summary>
    public Tensor Ids { get; }

    /// <summary>(units, k) float32 pooled (spatial max) activations, descending.</summary>
    public Tensor Activations { get; }

    /// <summary>(units,) float32 activation thresholds η_u (the quantile over all positions of all images).</summary>
    public Tensor Levels { get; }

    /// <summary>(units, k, h, w) float32 feature maps of the exemplar images.</summary>
    public Tensor FeatureMaps { get; }

    public QuantileMethod QuantileMethod { get; }

    /// <summary>Bound on the threshold's error in sorted positions (0 when exact; see QuantileSketch).</summary>
    public double QuantileRankError { get; }

    public int K => (int)Ids.shape[1];

    /// <summary>Feature map size (h, w).</summary>
    public (long Height, long Width) FeatureSize => (FeatureMaps.shape[2], FeatureMaps.shape[3]);

    /// <summary>Masks of units [first, first+count): (count, k, 1, size, size) uint8 0/1 on <paramref name="device"/>.</summary>
    public Tensor Masks(long first, long count, int size, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var maps = FeatureMaps.narrow(0, first, count).to(device ?? CPU);
        var (height, width) = FeatureSize;
        var levels = Levels.narrow(0, first, count).unsqueeze(1).expand(count, K).reshape(-1);
        var masks = MaskUpsampling.Masks(maps.reshape(-1, height, width), levels, size);
        return masks.reshape(count, K, 1, size, size).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Ids.Dispose();
        Activations.Dispose();
        Levels.Dispose();
        FeatureMaps.Dispose();
    }
}
