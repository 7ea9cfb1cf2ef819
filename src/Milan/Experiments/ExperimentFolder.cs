using Milan.IO;

namespace Milan.Experiments;

/// <summary>Where experiments write, and how: a whole folder at a time, built aside and moved into place.</summary>
public static class ExperimentFolder
{
    /// <summary>$MILAN_RESULTS_DIR/experiments/<paramref name="name"/>.</summary>
    public static string Default(string name) => Path.Combine(MilanRoots.Results, "experiments", name);

    /// <summary>
    /// Fills a temporary sibling of <paramref name="folder"/> and moves it into place, replacing an
    /// earlier run's folder only once the new one is complete. After a crash or an error the earlier
    /// results stay as they were and nothing half-written remains (leftovers of this folder from a
    /// crashed run are removed first; other folders' are left alone).
    /// </summary>
    public static void Replace(string folder, Action<string> fill)
    {
        string full = Path.GetFullPath(folder.TrimEnd(Path.DirectorySeparatorChar));
        string parent = Path.GetDirectoryName(full)!;
        string prefix = $"{AtomicDirectory.PartialPrefix}{Path.GetFileName(full)}-";
        Directory.CreateDirectory(parent);
        foreach (var leftover in Directory.EnumerateDirectories(parent, prefix + "*")) TryDelete(leftover);

        string fresh = Path.Combine(parent, $"{prefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(fresh);
        try
        {
            fill(fresh);
        }
        catch
        {
            TryDelete(fresh);
            throw;
        }
        if (Directory.Exists(full))
        {
            string old = Path.Combine(parent, $"{prefix}old-{Guid.NewGuid():N}");
            Directory.Move(full, old);
            Directory.Move(fresh, full);
            TryDelete(old);
        }
        else
        {
            Directory.Move(fresh, full);
        }
    }

    private static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
