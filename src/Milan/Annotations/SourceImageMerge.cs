using Milan.Datasets;
using static TorchSharp.torch;

namespace Milan.Annotations;

/// <summary>
/// Builds a layer's missing images.npy from the source image folder (ImageNet cannot be
/// redistributed, so its models ship masks.npy and ids.csv only). For every unit the K images named
/// by ids.csv are read from the source as bytes and appended; the file is written through a
/// temporary name, so an interrupted merge leaves nothing behind and is simply redone.
/// <para>
/// Departure from the reference (milan-spec §2.3): the reference reads the source with a plain
/// Resize((224, 224)), which squashes the image, while the masks were computed on
/// Resize(256)+CenterCrop(224) inputs, so merged images and masks do not line up. Here the source
/// must deliver the exemplar pipeline's images (Resize(256)+CenterCrop(224) for ImageNet), and the
/// merge checks that their size equals the masks'. The reference's "always black" bug (issue #4)
/// came from stacking [0,1] floats into a byte array; sources here hand out uint8 bytes per unit,
/// which are written as they are.
/// </para>
/// </summary>
public static class SourceImageMerge
{
    /// <summary>Image file extensions torchvision's ImageFolder accepts (compared case-insensitively).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"];

    /// <summary>
    /// The image folder reader used when <see cref="TopImagesLoadOptions.OpenImageFolder"/> is not
    /// set: Milan.Datasets.ImageFolderSource with Resize(256)+CenterCrop(224).
    /// </summary>
    public static Func<string, IImageSource> DefaultImageFolderOpener { get; } = OpenWithImageFolderSource;

    /// <summary>
    /// Merges every layer of <paramref name="datasetFolder"/> that lacks images.npy (all layers when
    /// <paramref name="force"/>). Returns the names of the layers merged.
    /// </summary>
    public static IReadOnlyList<string> MergeMissing(
        string datasetFolder, string sourceFolder, Func<string, IImageSource> openImageFolder,
        bool force = false, IProgress<WorkProgress>? progress = null)
    {
        var pending = TopImagesDataset.LayerFolders(datasetFolder)
            .Where(layer => force || !File.Exists(Path.Combine(layer, TopImagesLayer.ImagesFile)))
            .ToArray();
        if (pending.Length == 0) return [];

        CheckImageFolderLayout(sourceFolder);
        var source = openImageFolder(sourceFolder);
        try
        {
            foreach (var layerFolder in pending) MergeLayer(layerFolder, source, progress);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
        return pending.Select(Path.GetFileName).ToArray()!;
    }

    /// <summary>
    /// Checks that <paramref name="folder"/> is in ImageFolder layout (one subfolder per class).
    /// A flat folder of images, the reference's most common user problem (issue #2), gets a message
    /// that says how to rearrange it.
    /// </summary>
    public static void CheckImageFolderLayout(string folder)
    {
        if (!Directory.Exists(folder))
            throw MilanInputException.InFile(folder,
                "source image folder not found. This dataset ships without its source images (ImageNet cannot be redistributed): "
                + "put the validation images there in ImageFolder layout (<folder>/<class>/<image>), or pass another folder as the source.");
        var classes = Directory.EnumerateDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray();
        int looseImages = Directory.EnumerateFiles(folder).Count(IsImageFile);
        if (classes.Length == 0 && looseImages > 0)
            throw MilanInputException.InFile(folder,
                $"the source image folder is flat ({looseImages} images directly inside, no class subfolders). "
                + "ids.csv indexes images in ImageFolder order (class folders sorted by name, files sorted by name within each class), "
                + "so the validation set must be arranged as <folder>/<wnid>/<image>.JPEG, like the training set. "
                + "ImageNet's ILSVRC2012_img_val.tar unpacks flat: move each image into the folder of its class using the devkit's "
                + "ground truth (ILSVRC2012_validation_ground_truth.txt with meta.mat; the widely used valprep.sh script does this), then load again.");
        if (classes.Length == 0)
            throw MilanInputException.InFile(folder, "no class subfolders with images (expected ImageFolder layout: <folder>/<class>/<image>)");
    }

    private static bool IsImageFile(string path) =>
        ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static void MergeLayer(string layerFolder, IImageSource source, IProgress<WorkProgress>? progress)
    {
        string layerName = Path.GetFileName(layerFolder);
        using var layer = TopImagesLayer.Open(layerFolder, layerName);
        string idsPath = Path.Combine(layerFolder, TopImagesLayer.IdsFile);
        if (!layer.HasImageIds)
            throw MilanInputException.InFile(idsPath, $"file not found: merging source images needs the image ids of every unit");
        if (source.ImageSize != layer.Size)
            throw MilanInputException.InFile(source.Description,
                $"source images are {source.ImageSize}x{source.ImageSize} but the masks in {Path.Combine(layerFolder, TopImagesLayer.MasksFile)} are {layer.Size}x{layer.Size}: "
                + $"the source must produce the exemplar pipeline's images (Resize(256)+CenterCrop({layer.Size}) for ImageNet models)");

        int k = layer.ImagesPerUnit, size = layer.Size;
        string task = $"merge {layerName} images";
        using var writer = new NpyStreamWriter(Path.Combine(layerFolder, TopImagesLayer.ImagesFile), NpyType.UInt8, layer.UnitCount, k, 3, size, size);
        for (int position = 0; position < layer.UnitCount; position++)
        {
            var ids = layer.ImageIds(position)!;
            int bad = ids.ToList().FindIndex(id => id >= source.Count);
            if (bad >= 0)
                throw MilanInputException.InFile(idsPath,
                    $"row {position + 1}, value {bad + 1}: image index {ids[bad]} is outside the source's {source.Count} images ({source.Description}); is it the right folder?");
            using var scope = NewDisposeScope();
            var images = source.ReadBytes(ids);
            if (images.dtype != ScalarType.Byte || !images.shape.SequenceEqual(new long[] { k, 3, size, size }))
                throw new InvalidOperationException($"{source.Description}: ReadBytes returned {images.dtype} [{string.Join(",", images.shape)}], expected Byte [{k},3,{size},{size}]");
            writer.Append(images.unsqueeze(0));
            progress?.Report(new WorkProgress(task, position + 1, layer.UnitCount));
        }
        writer.Complete();
    }

    // Resize(256)+CenterCrop(224), the transform the masks were computed with (milan-spec §2.3).
    private static IImageSource OpenWithImageFolderSource(string folder) => new ImageFolderSource(folder, ImageFolderTransform.ImageNet);
}
