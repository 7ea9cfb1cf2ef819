using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// A labelled image set held in memory as bytes, for measuring a classifier's accuracy many times
/// (once per ablation) without re-reading the files: images (N, 3, S, S) uint8 on the CPU and their
/// class labels.
/// </summary>
public sealed class LabelledImages : IDisposable
{
    public string Description { get; }
    public Tensor Images { get; }
    public long[] Labels { get; }
    public int Count => Labels.Length;

    public LabelledImages(string description, Tensor images, long[] labels)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4 || images.shape[1] != 3 || images.shape[0] != labels.Length)
            throw new MilanInputException($"{description}: expected {labels.Length} uint8 images (N, 3, S, S), got {images.dtype} [{string.Join(", ", images.shape)}]");
        if (labels.Any(l => l < 0)) throw new MilanInputException($"{description}: every image needs a class label to measure accuracy");
        Description = description;
        Images = images.cpu().DetachFromDisposeScope();
        Labels = labels;
    }

    /// <summary>Reads every image of <paramref name="source"/> (or its first <paramref name="limit"/>) with its label.</summary>
    public static LabelledImages Read(IImageSource source, int? limit = null)
    {
        int count = Math.Min(source.Count, limit ?? source.Count);
        if (count == 0) throw MilanInputException.InFile(source.Description, "no images");
        var labels = Enumerable.Range(0, count).Select(i => source.Label(i)).ToArray();
        if (labels.Any(l => l < 0)) throw MilanInputException.InFile(source.Description, "images have no class labels (expected labels.npy and classes.json, or class folders)");
        using var scope = NewDisposeScope();
        var images = source.ReadBytes(Enumerable.Range(0, count).ToArray());
        return new LabelledImages(source.Description, images, labels);
    }

    /// <summary>Reads a folder with images.npy, labels.npy and classes.json (e.g. a world split).</summary>
    public static LabelledImages ReadNpyFolder(string folder, int? limit = null)
    {
        using var source = new NpyImageSource(folder);
        return Read(source, limit);
    }

    public void Dispose() => Images.Dispose();
}
