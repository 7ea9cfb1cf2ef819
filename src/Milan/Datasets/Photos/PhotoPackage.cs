namespace Milan.Datasets.Photos;

/// <summary>
/// A Debian package that ships photographs, and the folders (relative to the package's root, '/'
/// separated) where they are: image files there and below, and images inside the Qt resource files
/// (.rcc) there and below.
/// </summary>
public sealed record PhotoPackage(string Name, IReadOnlyList<string> Folders)
{
    /// <summary>The packages `milan data photos` reads by default (scripts/setup-photos.sh fetches them).</summary>
    public static IReadOnlyList<PhotoPackage> Debian { get; } =
    [
        new("mate-backgrounds", ["usr/share/backgrounds"]),
        new("plasma-workspace-wallpapers", ["usr/share/wallpapers"]),
        new("lomiri-wallpapers", ["usr/share/backgrounds"]),
        new("lomiri-wallpapers-16.04", ["usr/share/backgrounds"]),
        new("lomiri-wallpapers-20.04", ["usr/share/backgrounds"]),
        new("ukui-wallpapers", ["usr/share/backgrounds"]),
        new("palapeli-data", ["usr/share/palapeli"]),
        new("gcompris-qt-data", ["usr/share/gcompris-qt"]),
        new("tuxpaint-stamps-default", ["usr/share/tuxpaint/stamps"]),
        new("python3-skimage", ["usr/lib/python3/dist-packages/skimage/data"]),
        new("opencv-doc", ["usr/share/doc/opencv-doc/examples/data"]),
    ];

    /// <summary>Image file endings read (those SkiaSharp decodes and ImageFolderSource accepts).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    public const string ResourceExtension = ".rcc";

    public static bool IsImage(string name) => ImageExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
