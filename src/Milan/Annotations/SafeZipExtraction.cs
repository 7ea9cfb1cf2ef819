using System.IO.Compression;
using System.IO.Hashing;

namespace Milan.Annotations;

/// <summary>
/// Extracts a zip archive into a folder with checks: every entry's path must stay inside the folder
/// (entries such as "../x" or "/etc/x" are refused before anything is written: "zip-slip"),
/// duplicate entry names are refused, and every file's CRC-32 and length are checked against the
/// archive's directory. Callers extract into a temporary folder and rename it when this returns,
/// so a refused or corrupt archive leaves nothing behind.
/// </summary>
public static class SafeZipExtraction
{
    /// <summary>Extracts <paramref name="archivePath"/> into the existing empty <paramref name="folder"/>; returns the number of files.</summary>
    public static int Extract(string archivePath, string folder, IProgress<WorkProgress>? progress = null)
    {
        string root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        ZipArchive archive;
        try { archive = ZipFile.OpenRead(archivePath); }
        catch (InvalidDataException e) { throw MilanInputException.InFile(archivePath, $"not a readable zip archive ({e.Message})"); }
        using (archive)
        {
            var targets = new List<(ZipArchiveEntry Entry, string Path, bool IsDirectory)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                string name = entry.FullName.Replace('\\', '/');
                if (name.Length == 0) continue;
                string target = Path.GetFullPath(Path.Combine(root, name));
                bool inside = target.StartsWith(root, StringComparison.Ordinal) || target + Path.DirectorySeparatorChar == root;
                if (!inside || Path.IsPathRooted(name) || name.Contains('\0'))
                    throw MilanInputException.InFile(archivePath, $"entry '{entry.FullName}' would be written outside the target folder (path traversal); refusing to extract this archive");
                if (!seen.Add(target.TrimEnd(Path.DirectorySeparatorChar)))
                    throw MilanInputException.InFile(archivePath, $"entry '{entry.FullName}' appears more than once; refusing to extract this archive");
                targets.Add((entry, target, name.EndsWith('/')));
            }

            int files = 0;
            string task = $"extract {Path.GetFileName(archivePath)}";
            for (int i = 0; i < targets.Count; i++)
            {
                var (entry, target, isDirectory) = targets[i];
                if (isDirectory)
                {
                    Directory.CreateDirectory(target);
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                ExtractFile(archivePath, entry, target);
                files++;
                progress?.Report(new WorkProgress(task, i + 1, targets.Count, entry.FullName));
            }
            progress?.Report(new WorkProgress(task, targets.Count, targets.Count));
            return files;
        }
    }

    private static void ExtractFile(string archivePath, ZipArchiveEntry entry, string target)
    {
        var crc = new Crc32();
        long length = 0;
        try
        {
            using var input = entry.Open();
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                crc.Append(buffer.AsSpan(0, read));
                output.Write(buffer, 0, read);
                length += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw MilanInputException.InFile(archivePath, $"entry '{entry.FullName}' is corrupt ({e.Message})");
        }
        if (length != entry.Length)
            throw MilanInputException.InFile(archivePath, $"entry '{entry.FullName}' is corrupt: {length} bytes extracted, the archive declares {entry.Length}");
        uint actual = crc.GetCurrentHashAsUInt32();
        if (actual != entry.Crc32)
            throw MilanInputException.InFile(archivePath, $"entry '{entry.FullName}' is corrupt: CRC-32 {actual:x8}, the archive declares {entry.Crc32:x8}");
    }
}
