namespace Milan.Tests.BadInput;

/// <summary>
/// What every case of the bad-input suite checks: the reader fails with its own input error
/// (<see cref="MilanInputException"/> or a subtype, never a raw IOException, JSON or index error),
/// the message names the file and says what is wrong, and the folder around it holds exactly what it
/// held before (nothing half-written, no temporary file left behind).
/// </summary>
internal static class Refusal
{
    /// <summary>
    /// Runs <paramref name="read"/> and asserts the refusal: a <see cref="MilanInputException"/> whose
    /// message contains <paramref name="path"/> and every one of <paramref name="what"/> (case-insensitive),
    /// with the entries of the file's folder unchanged.
    /// </summary>
    public static MilanInputException Expect(string path, Action read, params string[] what) =>
        ExpectUnder(Path.GetDirectoryName(Path.GetFullPath(path))!, path, read, what);

    /// <summary><see cref="Expect"/>, checking that nothing changed anywhere under <paramref name="folder"/>.</summary>
    public static MilanInputException ExpectUnder(string folder, string path, Action read, params string[] what)
    {
        var before = Entries(folder);
        var error = Assert.ThrowsAny<MilanInputException>(read);
        Check(error, path, what);
        Assert.Equal(before, Entries(folder));
        return error;
    }

    /// <summary><see cref="ExpectUnder"/> for a reader that works asynchronously.</summary>
    public static async Task<MilanInputException> ExpectUnderAsync(string folder, string path, Func<Task> read, params string[] what)
    {
        var before = Entries(folder);
        var error = await Assert.ThrowsAnyAsync<MilanInputException>(read);
        Check(error, path, what);
        Assert.Equal(before, Entries(folder));
        return error;
    }

    private static void Check(MilanInputException error, string path, string[] what)
    {
        Assert.True(error.Message.Contains(path, StringComparison.Ordinal), $"the message does not name {path}: {error.Message}");
        foreach (var fragment in what)
            Assert.True(error.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"the message does not say '{fragment}': {error.Message}");
    }

    /// <summary>Offsets to cut a file of <paramref name="length"/> bytes at: empty, inside the first bytes, the middle, one byte short.</summary>
    public static IEnumerable<int> CutPoints(int length) =>
        new[] { 0, 1, 6, 9, length / 4, length / 2, length - 1 }.Where(n => n >= 0 && n < length).Distinct();

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> (folders made as needed) inside <paramref name="folder"/>; returns its path.</summary>
    public static string Write(Support.TempFolder folder, string name, byte[] bytes)
    {
        string path = folder.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes the first <paramref name="length"/> bytes of <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteCut(string path, byte[] bytes, int length) => File.WriteAllBytes(path, bytes[..length]);

    /// <summary>
    /// True when this process can read a file it has no permission for (root, or any holder of
    /// CAP_DAC_OVERRIDE): chmod 000 does not make a file unreadable then, so permission cases are
    /// tested by a directory standing where the file should be (the same "access denied" error in .NET).
    /// </summary>
    public static bool PermissionsAreIgnored
    {
        get
        {
            if (OperatingSystem.IsWindows()) return true;
            string probe = Path.Combine(Path.GetTempPath(), $"milan-permission-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "x");
            try
            {
                File.SetUnixFileMode(probe, UnixFileMode.None);
                try
                {
                    using var stream = File.OpenRead(probe);
                    return true;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            }
            finally
            {
                File.Delete(probe);
            }
        }
    }

    /// <summary>Makes <paramref name="path"/> unreadable (mode 000).</summary>
    public static void MakeUnreadable(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("mode bits are POSIX only");
        File.SetUnixFileMode(path, UnixFileMode.None);
    }

    /// <summary>Every file and folder under <paramref name="folder"/>, relative, sorted.</summary>
    public static IReadOnlyList<string> Entries(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
                .Select(e => Path.GetRelativePath(folder, e)).Order(StringComparer.Ordinal).ToList()
            : [];
}

/// <summary>
/// A fact that runs only when file permissions are enforced for this process. As root (the test
/// machines here run as root) chmod 000 does not stop a read, so the case is skipped with that
/// reason; the same refusal is covered by the directory-in-place-of-a-file cases.
/// </summary>
internal sealed class PermissionFactAttribute : FactAttribute
{
    public PermissionFactAttribute()
    {
        if (Refusal.PermissionsAreIgnored)
            Skip = "file permissions do not apply to this process (root or CAP_DAC_OVERRIDE): chmod 000 cannot make a file unreadable; "
                   + "the directory-in-place-of-a-file cases exercise the same 'access denied' path";
    }
}
