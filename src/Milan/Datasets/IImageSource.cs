using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// A finite, indexed set of RGB images of one size, optionally labelled with classes. Sources hand
/// out raw bytes (exactly what exemplar image files store); models get them normalised through
/// <see cref="ImageNormalization"/>. Index order is stable (ids.csv refers to it).
/// </summary>
public interface IImageSource
{
    /// <summary>Where the images come from, for messages and model cards.</summary>
    string Description { get; }

    int Count { get; }

    /// <summary>Side length S of the square images (3, S, S).</summary>
    int ImageSize { get; }

    /// <summary>Class names in label order; empty when the source has no labels.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The class label of an image, or -1 when the source has no labels.</summary>
    long Label(int index);

    /// <summary>Images at <paramref name="indices"/> as a (B, 3, S, S) uint8 tensor on the CPU.</summary>
    Tensor ReadBytes(IReadOnlyList<int> indices);
}
