using System.Text.Json;
using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// An image source stored as arrays in one folder: images.npy (N, 3, S, S) uint8, and optionally
/// labels.npy (N,) int64 with classes.json (a JSON list of class names in label order). Images are
/// memory-mapped, so large sets are not loaded whole.
/// </summary>
public sealed class NpyImageSource : IImageSource, IDisposable
{
    public const string ImagesFile = "images.npy";
    public const string LabelsFile = "labels.npy";
    public const string ClassesFile = "classes.json";

    private readonly NpyMappedArray _images;
    private readonly long[] _labels;

    public string Description { get; }
    public int Count => (int)_images.Count;
    public int ImageSize { get; }
    public IReadOnlyList<string> ClassNames { get; }

    public NpyImageSource(string folder)
    {
        Description = folder;
        string imagesPath = Path.Combine(folder, ImagesFile);
        if (!Directory.Exists(folder)) throw MilanInputException.InFile(folder, "image folder not found");
        _images = new NpyMappedArray(imagesPath);
        var shape = _images.Header.Shape;
        if (_images.Header.Type != NpyType.UInt8 || shape.Length != 4 || shape[1] != 3 || shape[2] != shape[3])
        {
            _images.Dispose();
            throw MilanInputException.InFile(imagesPath, $"expected uint8 images of shape (N, 3, S, S), found {NpyTypes.Descr(_images.Header.Type)} {_images.Header.ShapeText}");
        }
        ImageSize = (int)shape[2];

        string labelsPath = Path.Combine(folder, LabelsFile);
        string classesPath = Path.Combine(folder, ClassesFile);
        if (File.Exists(labelsPath))
        {
            _labels = Npy.ReadInt64(labelsPath, out var labelShape);
            if (labelShape.Length != 1 || labelShape[0] != Count)
                throw MilanInputException.InFile(labelsPath, $"expected {Count} labels (one per image), found shape ({string.Join(", ", labelShape)})");
            ClassNames = File.Exists(classesPath)
                ? ReadClassNames(classesPath)
                : Enumerable.Range(0, (int)(_labels.DefaultIfEmpty(-1).Max() + 1)).Select(i => i.ToString()).ToArray();
            int firstBad = Array.FindIndex(_labels, l => l < 0 || l >= ClassNames.Count);
            if (firstBad >= 0)
                throw MilanInputException.InFile(labelsPath, $"label {_labels[firstBad]} of image {firstBad} is outside the {ClassNames.Count} classes");
        }
        else
        {
            _labels = [];
            ClassNames = [];
        }
    }

    private static string[] ReadClassNames(string path)
    {
        try
        {
            var names = JsonSerializer.Deserialize<string?[]>(IO.InputFile.ReadAllText(path));
            return names is not null && names.All(n => n is not null) ? names.Select(n => n!).ToArray() : throw new JsonException("not a list of strings");
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"expected a JSON list of class names ({e.Message})");
        }
    }

    public long Label(int index) => _labels.Length == 0 ? -1 : _labels[index];

    public Tensor ReadBytes(IReadOnlyList<int> indices)
    {
        if (indices.Count == 0) return empty([0, 3, ImageSize, ImageSize], ScalarType.Byte);
        // Contiguous runs are read in one go; arbitrary index lists item by item.
        bool contiguous = indices.Zip(indices.Skip(1)).All(p => p.Second == p.First + 1);
        if (contiguous) return _images.Read(indices[0], indices.Count);
        using var scope = NewDisposeScope();
        var items = indices.Select(i => _images.Read(i, 1)).ToArray();
        return cat(items, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Writes a source in this layout atomically (each file); labels and classes are optional.</summary>
    public static void Write(string folder, Tensor images, long[]? labels = null, IReadOnlyList<string>? classNames = null)
    {
        Directory.CreateDirectory(folder);
        Npy.Write(Path.Combine(folder, ImagesFile), images);
        if (labels is not null) Npy.Write<long>(Path.Combine(folder, LabelsFile), labels, labels.Length);
        if (classNames is not null)
            IO.AtomicFile.WriteAllText(Path.Combine(folder, ClassesFile), JsonSerializer.Serialize(classNames));
    }

    public void Dispose() => _images.Dispose();
}
