using static TorchSharp.torch;

namespace Milan.Annotations;

/// <summary>A unit's identity across datasets: which dataset key, which layer, which unit.</summary>
public readonly record struct UnitId(string Dataset, string Layer, int Unit)
{
    public override string ToString() => $"{Dataset}:{Layer}:{Unit}";
}

/// <summary>
/// One unit of a dataset: its layer and unit id, its annotations, and its K exemplar images and
/// masks, read on demand from the layer's memory-mapped arrays (the reference's
/// AnnotatedTopImages(layer, unit, images, masks, annotations)). Images and masks are uint8 on the
/// CPU and owned by the caller: dispose them, or read them inside a dispose scope.
/// </summary>
public sealed class TopImagesSample
{
    private readonly TopImagesLayer _layer;
    private readonly int _position;

    internal TopImagesSample(string dataset, TopImagesLayer layer, int position, IReadOnlyList<string> annotations)
    {
        Dataset = dataset;
        _layer = layer;
        _position = position;
        Unit = layer.Units[position];
        Annotations = annotations;
    }

    /// <summary>The dataset key the unit belongs to, e.g. "alexnet/imagenet".</summary>
    public string Dataset { get; }

    public string Layer => _layer.Name;

    public int Unit { get; }

    public UnitId Id => new(Dataset, Layer, Unit);

    /// <summary>The unit's descriptions, after the loader policy (empty for unannotated datasets).</summary>
    public IReadOnlyList<string> Annotations { get; }

    /// <summary>K, the number of exemplar images.</summary>
    public int ImageCount => _layer.ImagesPerUnit;

    /// <summary>S, the side of the square images and masks.</summary>
    public int ImageSize => _layer.Size;

    /// <summary>The source-image indices of the exemplars (ids.csv), or null when the layer has no ids.csv.</summary>
    public IReadOnlyList<int>? ImageIds => _layer.ImageIds(_position);

    /// <summary>The exemplars' pooled activations (activations.csv), or null when absent.</summary>
    public IReadOnlyList<float>? Activations => _layer.Activations(_position);

    /// <summary>(K, 3, S, S) uint8 exemplar images on the CPU, read from images.npy now.</summary>
    public Tensor ReadImages() => _layer.ReadImages(_position);

    /// <summary>(K, 1, S, S) uint8 0/1 masks on the CPU, read from masks.npy now.</summary>
    public Tensor ReadMasks() => _layer.ReadMasks(_position);

    public override string ToString() => Id.ToString();
}
