using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// Images in class subfolders (root/&lt;class&gt;/**/&lt;image&gt;), indexed exactly as torchvision's
/// ImageFolder indexes them, so dataset indices (ids.csv) and labels agree with the reference:
/// class folders sorted by name (Python's code-point order, hidden folders included), label = position
/// in that order; per class, files found by walking the folder (links followed) with the folder
/// paths sorted and the file names in each sorted; only torchvision's image extensions count.
/// Images are decoded with SkiaSharp and transformed by an <see cref="ImageFolderTransform"/>
/// (default Resize(256) + CenterCrop(224)), bytes out; normalise them with <see cref="ImageNormalization"/>.
/// </summary>
public sealed class ImageFolderSource : IImageSource
{
    /// <summary>torchvision's IMG_EXTENSIONS, matched case-insensitively at the end of the file name.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"];

    // Extensions torchvision accepts (through PIL) but SkiaSharp cannot decode.
    private static readonly string[] Undecodable = [".ppm", ".pgm", ".tif", ".tiff"];

    private const int MaximumFolderDepth = 64;

    /// <summary>
    /// The default limit on an image's width × height: PIL's Image.MAX_IMAGE_PIXELS (1 GiB / 4 / 3
    /// = 89,478,485, about 9459² pixels). Larger images are refused from their header, before decoding
    /// (PIL warns above this and refuses above twice it; here it is one clear refusal).
    /// </summary>
    public const long DefaultMaxImagePixels = 89_478_485;

    private readonly string[] _files;
    private readonly int[] _labels;

    public string Root { get; }
    public ImageFolderTransform Transform { get; }

    /// <summary>Images with more pixels than this are refused before decoding (<see cref="DefaultMaxImagePixels"/>).</summary>
    public long MaxImagePixels { get; }
    public string Description => Root;
    public int Count => _files.Length;
    public int ImageSize => Transform.Crop;
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The image files in index order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <param name="maxImagePixels">refuse images larger than this many pixels (width × height) from their header</param>
    public ImageFolderSource(string root, ImageFolderTransform? transform = null, long maxImagePixels = DefaultMaxImagePixels)
    {
        Transform = transform ?? ImageFolderTransform.ImageNet;
        Transform.Validate();
        if (maxImagePixels < 1) throw new MilanInputException($"image pixel limit {maxImagePixels}: expected a positive number of pixels");
        MaxImagePixels = maxImagePixels;
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root))
            throw MilanInputException.InFile(Root, File.Exists(Root) ? "is a file; expected an image folder with one subfolder per class" : "image folder not found");

        var classes = Directory.GetDirectories(Root).Select(Path.GetFileName).Select(n => n!).ToList();
        classes.Sort(CompareCodePoints);
        if (classes.Count == 0) throw NoClassFolders(Root);
        ClassNames = classes;

        var files = new List<string>();
        var labels = new List<int>();
        var empty = new List<string>();
        for (int label = 0; label < classes.Count; label++)
        {
            var found = ImagesUnder(Path.Combine(Root, classes[label]));
            if (found.Count == 0) empty.Add(classes[label]);
            files.AddRange(found);
            labels.AddRange(Enumerable.Repeat(label, found.Count));
        }
        if (empty.Count > 0)
            throw MilanInputException.InFile(Root,
                $"no image files in the class folder(s) {string.Join(", ", empty)}; expected files ending in {string.Join(" ", Extensions)} "
                + "(remove folders that are not classes, e.g. .ipynb_checkpoints)");
        var unreadable = files.Where(f => Undecodable.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unreadable.Count > 0)
            throw MilanInputException.InFile(unreadable[0],
                $"PPM/PGM/TIFF images cannot be decoded here (SkiaSharp), and {unreadable.Count} file(s) of this folder are such; convert them to PNG");
        _files = files.ToArray();
        _labels = labels.ToArray();
    }

    public long Label(int index) => _labels[index];

    public Tensor ReadBytes(IReadOnlyList<int> indices)
    {
        foreach (int index in indices)
            if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(indices), $"index {index} is outside 0..{Count - 1}");
        int size = ImageSize;
        int itemBytes = 3 * size * size;
        var buffer = new byte[indices.Count * itemBytes];
        var errors = new Exception?[indices.Count];
        // Each image is decoded independently into its own slice, so the result does not depend on scheduling.
        Parallel.For(0, indices.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                Load(_files[indices[i]], buffer.AsSpan(i * itemBytes, itemBytes));
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });
        if (errors.FirstOrDefault(e => e is not null) is { } error)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        var bytes = empty([indices.Count, 3, size, size], ScalarType.Byte);
        if (buffer.Length > 0) bytes.bytes = buffer;
        return bytes;
    }

    /// <summary>Decodes <paramref name="path"/> and transforms it into planar RGB bytes (3, S, S).</summary>
    private void Load(string path, Span<byte> destination)
    {
        var (pixels, width, height) = ImageDecoder.DecodeRgba(path, MaxImagePixels);
        var (resizedWidth, resizedHeight) = Transform.ResizedSize(width, height);
        var (left, top) = Transform.CropOffset(resizedWidth, resizedHeight);
        PillowResample.ResizeAndCrop(pixels, width, height, ImageDecoder.BytesPerPixel,
            resizedWidth, resizedHeight, left, top, Transform.Crop, destination);
    }

    /// <summary>torchvision's make_dataset for one class: sorted(os.walk(folder, followlinks=True)), sorted file names, allowed extensions.</summary>
    private static List<string> ImagesUnder(string classFolder)
    {
        var folders = new List<string>();
        CollectFolders(classFolder, 0, folders);
        folders.Sort(CompareCodePoints);
        var images = new List<string>();
        foreach (var folder in folders)
        {
            var names = Directory.GetFiles(folder).Select(Path.GetFileName).Select(n => n!)
                .Where(n => Extensions.Any(e => n.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            names.Sort(CompareCodePoints);
            images.AddRange(names.Select(n => Path.Combine(folder, n)));
        }
        return images;
    }

    private static void CollectFolders(string folder, int depth, List<string> folders)
    {
        if (depth > MaximumFolderDepth)
            throw MilanInputException.InFile(folder, $"folders nest deeper than {MaximumFolderDepth} levels (a symbolic-link loop?)");
        folders.Add(folder);
        foreach (var child in Directory.GetDirectories(folder)) CollectFolders(child, depth + 1, folders);
    }

    private static MilanInputException NoClassFolders(string root)
    {
        int images = Directory.GetFiles(root).Count(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)));
        if (images == 0)
            return MilanInputException.InFile(root,
                "the folder is empty; expected one subfolder per class holding its images (ImageFolder layout: <root>/<class>/<image>.jpg)");
        return MilanInputException.InFile(root,
            $"holds {images} image(s) directly but no class subfolders; expected one subfolder per class (ImageFolder layout: <root>/<class>/<image>.jpg). "
            + "For a flat ImageNet validation folder, sort the images into one folder per WordNet id (e.g. val/n01440764/ILSVRC2012_val_00000293.JPEG) "
            + "using the ILSVRC2012 validation labels; to use unlabelled images, move them into a single subfolder (e.g. <root>/all/)");
    }

    /// <summary>Python's str ordering: by Unicode code point (differs from UTF-16 ordinal order only beyond U+FFFF).</summary>
    internal static int CompareCodePoints(string? a, string? b)
    {
        if (a is null || b is null) return string.CompareOrdinal(a, b);
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            bool hasLeft = left.MoveNext(), hasRight = right.MoveNext();
            if (!hasLeft || !hasRight) return hasLeft.CompareTo(hasRight);
            int difference = left.Current.Value.CompareTo(right.Current.Value);
            if (difference != 0) return difference;
        }
    }
}
