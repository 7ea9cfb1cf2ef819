using Milan.IO;

namespace Milan.Datasets;

/// <summary>
/// Writes images of a source as PNG files in an image folder (one subfolder per class, or "images"
/// for an unlabelled source), the layout <see cref="ImageFolderSource"/> reads: a way to hand any
/// source (e.g. the bundled world's images.npy) to a network that takes image files of another size.
/// </summary>
public static class ImageFolderExport
{
    public const string UnlabelledClass = "images";

    /// <summary>
    /// Writes the first <paramref name="count"/> images (all when null) into the new folder
    /// <paramref name="folder"/>, built atomically; file names keep the source order (image_00000.png ...).
    /// </summary>
    public static void Write(IImageSource source, string folder, int? count = null)
    {
        int n = Math.Min(count ?? source.Count, source.Count);
        if (n <= 0) throw new MilanInputException($"{source.Description}: no images to export");
        AtomicDirectory.Create(folder, staging =>
        {
            for (int i = 0; i < n; i++)
            {
                long label = source.Label(i);
                string className = label >= 0 && label < source.ClassNames.Count ? source.ClassNames[(int)label] : UnlabelledClass;
                string classFolder = Path.Combine(staging, className);
                Directory.CreateDirectory(classFolder);
                using var bytes = source.ReadBytes([i]);
                var planar = bytes.cpu().contiguous().bytes.ToArray();
                File.WriteAllBytes(Path.Combine(classFolder, $"image_{i:D5}.png"),
                    PngImage.Encode(PngImage.Rgba(planar, source.ImageSize), source.ImageSize, source.ImageSize));
            }
        });
    }
}
