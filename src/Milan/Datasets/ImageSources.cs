namespace Milan.Datasets;

/// <summary>Opens an image source from a folder given by a user (the CLI's --images, notebooks).</summary>
public static class ImageSources
{
    /// <summary>
    /// A folder holding <c>images.npy</c> (<see cref="NpyImageSource"/>, used as stored), or an image folder with
    /// one subfolder per class (<see cref="ImageFolderSource"/>, Resize(round(S·256/224)) then CenterCrop(S), the
    /// reference's pipeline at S = 224). Dispose the result when it is <see cref="IDisposable"/>.
    /// </summary>
    public static IImageSource Open(string folder, int imageSize = 224)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw MilanInputException.InFile(full, File.Exists(full) ? "is a file; an image source is a folder" : "image folder not found");
        if (File.Exists(Path.Combine(full, NpyImageSource.ImagesFile)))
            return new NpyImageSource(full);
        return new ImageFolderSource(full, ImageFolderTransform.CenterCrop(imageSize));
    }
}
