namespace Milan.IO;

/// <summary>
/// Builds a folder of outputs under a temporary sibling name and renames it into place only when
/// every file is written, so an interrupted run never leaves a half-filled folder behind. The folder
/// is sealed (<see cref="StageSeal"/>: every file's size and content hash) before it is renamed, so a
/// caller that finds it on a re-run can check it is still as written before skipping it.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>The sibling prefix of folders under construction; readers ignore such folders.</summary>
    public const string PartialPrefix = ".partial-";

    /// <summary>
    /// Runs <paramref name="fill"/> on an empty temporary folder and moves it to <paramref name="path"/>.
    /// Throws if <paramref name="path"/> already exists. On failure the temporary folder is removed.
    /// </summary>
    public static void Create(string path, Action<string> fill)
    {
        string fullPath = Path.GetFullPath(path.TrimEnd(Path.DirectorySeparatorChar));
        if (Directory.Exists(fullPath))
            throw new IOException($"{fullPath}: already exists");
        string parent = Path.GetDirectoryName(fullPath)!;
        bool parentIsNew = !Directory.Exists(parent);
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $"{PartialPrefix}{Path.GetFileName(fullPath)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            fill(temporary);
            StageSeal.Seal(temporary);
            Directory.Move(temporary, fullPath);
        }
        catch
        {
            TryDelete(temporary);
            // A parent made for this folder alone is not left behind empty.
            if (parentIsNew && !Directory.EnumerateFileSystemEntries(parent).Any()) TryDelete(parent);
            throw;
        }
    }

    /// <summary>Removes folders left under construction by a crashed run inside <paramref name="parent"/>.</summary>
    public static void RemoveLeftovers(string parent)
    {
        if (!Directory.Exists(parent)) return;
        foreach (var leftover in Directory.EnumerateDirectories(parent, PartialPrefix + "*"))
            TryDelete(leftover);
    }

    private static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
