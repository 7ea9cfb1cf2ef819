using static TorchSharp.torch;

namespace Milan.Evaluation;

/// <summary>
/// Pixel masks of named concepts over a probe set, what NetDissect and CompExp compare units with:
/// <see cref="Batch"/> gives (B, C, S, S) bool, channel c holding concept <see cref="ConceptNames"/>[c].
/// The world's exact masks (<see cref="WorldConceptSource"/>) and a user's own masks
/// (<see cref="NpyConceptMasks"/>) come in this one format.
/// </summary>
public interface IConceptMasks
{
    int Count { get; }
    int ImageSize { get; }
    IReadOnlyList<string> ConceptNames { get; }
    Tensor Batch(IReadOnlyList<int> indices, Device? device = null);
}

/// <summary>The world's exact concept masks of a probed split (every concept of the vocabulary, id order).</summary>
public sealed class WorldConceptSource(string splitFolder) : IConceptMasks, IDisposable
{
    private readonly World.WorldConceptMasks _masks = new(splitFolder);

    public int Count => _masks.Count;
    public int ImageSize => _masks.ImageSize;
    public IReadOnlyList<string> ConceptNames => _masks.Vocabulary.All.Select(c => c.Name).ToList();
    public Tensor Batch(IReadOnlyList<int> indices, Device? device = null) => _masks.Batch(indices, device);
    public void Dispose() => _masks.Dispose();
}
