using static TorchSharp.torch;

namespace Milan.Stats;

/// <summary>
/// A per-unit quantile of a stream of values. Batches are (units, …): row u holds n values of unit u
/// (in any shape, read in row-major order; a strided view is fine),
/// and every unit receives the same number of values.
/// </summary>
public interface IRunningQuantile : IDisposable
{
    /// <summary>The quantile read by <see cref="Result"/>, in [0, 1].</summary>
    double Q { get; }

    /// <summary>Values seen so far per unit.</summary>
    long Count { get; }

    void Add(Tensor valuesByUnit);

    /// <summary>The q-quantile of every unit, (units,) float32 on the CPU.</summary>
    Tensor Result();

    /// <summary>
    /// A bound on how far, in sorted positions, the result may lie from the exact quantile position:
    /// 0 for exact methods. See <see cref="QuantileSketch.RankErrorBound"/>.
    /// </summary>
    double RankErrorBound { get; }
}
