namespace Milan.IO;

/// <summary>
/// Paths as cards and manifests store them: relative to their root (MILAN_DATA_DIR for data,
/// MILAN_MODELS_DIR for models), with '/' separators, when they lie inside it, so that a root
/// moved or copied elsewhere keeps working; absolute when they lie outside it (a user's own image
/// folder), where moving the root cannot help.
/// </summary>
public static class RootedPath
{
    /// <summary><paramref name="path"/> relative to <paramref name="root"/> when inside it, else its absolute form.</summary>
    public static string Store(string path, string root)
    {
        string full = Path.GetFullPath(path);
        string relative = Path.GetRelativePath(Path.GetFullPath(root), full);
        bool inside = relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                      && !Path.IsPathRooted(relative);
        return inside ? relative.Replace(Path.DirectorySeparatorChar, '/') : full;
    }

    /// <summary>A stored path made absolute again: relative paths are taken under <paramref name="root"/>.</summary>
    public static string Resolve(string stored, string root) =>
        Path.IsPathRooted(stored) ? stored : Path.GetFullPath(Path.Combine(root, stored.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary><see cref="Store"/> for values that may not be paths: only absolute paths are made relative.</summary>
    public static string? StoreIfPath(string? value, string root) =>
        value is not null && Path.IsPathRooted(value) ? Store(value, root) : value;
}
