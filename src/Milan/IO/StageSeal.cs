using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Milan.IO;

/// <summary>How a finished stage's files are checked before it is reused.</summary>
public enum SealCheck
{
    /// <summary>Size and modification time of every file; a file whose time changed is hashed and compared.</summary>
    Fast,

    /// <summary>Every file hashed and compared, whatever its time says.</summary>
    Full,
}

/// <summary>One file of a finished stage that is not as it was written.</summary>
public sealed record SealProblem(string File, string What)
{
    public override string ToString() => $"{File}: {What}";
}

/// <summary>
/// The record of what a finished stage wrote, kept beside its files in <c>.milan-seal.json</c>: for
/// every file (path relative to the folder) its size, modification time and XXH128 content hash.
/// A stage is reused only after its seal checks: every file present with its size, and, where its
/// modification time differs from the record (a copied or touched file, or one changed in place),
/// its content hashed and compared. <see cref="SealCheck.Full"/> hashes every file. Files the seal
/// does not list (e.g. caches added later) are ignored.
/// <para>
/// A folder built by <see cref="AtomicDirectory.Create"/> is sealed whole before it is renamed into
/// place; single files added to a folder later are recorded with <see cref="Record"/>. A folder or
/// file found without a record (written before seals existed) is recorded when first checked
/// (trusted once). After a check that hashed files whose content matched (a corpus copied to
/// another place gets new modification times), the record takes the new times, so the next check
/// is fast again; a read-only folder is simply hashed again next time.
/// </para>
/// </summary>
public static class StageSeal
{
    public const string FileName = ".milan-seal.json";
    public const string Format = "milan-seal/1";

    public sealed record Entry(
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("modified")] long ModifiedTicks,
        [property: JsonPropertyName("xxh128")] string Hash);

    private sealed record Document(
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("files")] SortedDictionary<string, Entry> Files);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    /// <summary>Records every file under <paramref name="folder"/> (recursively), replacing any earlier record.</summary>
    public static void Seal(string folder)
    {
        var names = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Relative(folder, f))
            .Where(n => n != FileName)
            .ToList();
        Write(folder, new SortedDictionary<string, Entry>(Measure(folder, names), StringComparer.Ordinal));
    }

    /// <summary>Adds (or renews) the record of the named files, relative to <paramref name="folder"/>, keeping the others.</summary>
    public static void Record(string folder, params string[] files)
    {
        var entries = ReadEntries(folder) ?? new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (name, entry) in Measure(folder, files.Select(Normalise).ToList())) entries[name] = entry;
        Write(folder, entries);
    }

    /// <summary>
    /// Checks the recorded files of <paramref name="folder"/> (or only <paramref name="files"/>, relative
    /// to it); returns what is wrong, empty when every file is as written. Files without a record are
    /// recorded now (a folder without a seal is sealed whole).
    /// </summary>
    public static IReadOnlyList<SealProblem> Check(string folder, SealCheck mode = SealCheck.Fast, IReadOnlyList<string>? files = null)
    {
        SortedDictionary<string, Entry>? entries;
        try
        {
            entries = ReadEntries(folder);
        }
        catch (MilanInputException e)
        {
            return [new SealProblem(PathIn(folder), e.Message)];
        }
        if (entries is null)
        {
            TrustOnFirstUse(folder, files);
            return files?.Where(f => !File.Exists(Path.Combine(folder, f))).Select(f => new SealProblem(Path.Combine(folder, f), "missing")).ToList() ?? [];
        }

        var names = files?.Select(Normalise).ToList() ?? [.. entries.Keys];
        var unrecorded = names.Where(n => !entries.ContainsKey(n)).ToList();
        var problems = new List<SealProblem>();
        foreach (var name in unrecorded)
            if (!File.Exists(Path.Combine(folder, name))) problems.Add(new SealProblem(Path.Combine(folder, name), "missing"));
        var renewed = new Dictionary<string, Entry>();
        var checkedNames = names.Where(entries.ContainsKey).ToList();
        var results = new (SealProblem? Problem, Entry? Renewed)[checkedNames.Count];
        Parallel.For(0, checkedNames.Count, i => results[i] = CheckFile(folder, checkedNames[i], entries[checkedNames[i]], mode));
        for (int i = 0; i < checkedNames.Count; i++)
        {
            if (results[i].Problem is { } problem) problems.Add(problem);
            else if (results[i].Renewed is { } entry) renewed[checkedNames[i]] = entry;
        }
        var recordNow = unrecorded.Where(n => File.Exists(Path.Combine(folder, n))).ToArray();
        if (problems.Count == 0 && (renewed.Count > 0 || recordNow.Length > 0)) TryRenew(folder, entries, renewed, recordNow);
        return problems;
    }

    /// <summary>Throws an input error naming the first damaged file when <see cref="Check"/> finds any.</summary>
    public static void Verify(string folder, SealCheck mode = SealCheck.Fast, IReadOnlyList<string>? files = null)
    {
        var problems = Check(folder, mode, files);
        if (problems.Count > 0) throw Damaged(problems);
    }

    /// <summary>
    /// Checks a finished folder; when it is damaged, deletes it so that the caller rebuilds it, and
    /// returns what was wrong with the record it had (null when the folder is intact).
    /// </summary>
    public static StageDamage? DiscardIfDamaged(string folder, SealCheck mode = SealCheck.Fast)
    {
        var problems = Check(folder, mode);
        if (problems.Count == 0) return null;
        SortedDictionary<string, Entry>? before;
        try
        {
            before = ReadEntries(folder);
        }
        catch (MilanInputException)
        {
            before = null;
        }
        Directory.Delete(folder, recursive: true);
        return new StageDamage(folder, problems, before);
    }

    /// <summary>
    /// The recorded content hash of <paramref name="file"/> after a fast check of it, or null when its
    /// folder has no seal listing it. Identifies content without reading it (caches keyed by content
    /// survive a copy of the data root).
    /// </summary>
    public static string? ContentHash(string file)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string name = Path.GetFileName(file);
        var entries = File.Exists(PathIn(folder)) ? ReadEntries(folder) : null;
        if (entries is null || !entries.ContainsKey(name)) return null;
        Verify(folder, SealCheck.Fast, [name]);
        return ReadEntries(folder)![name].Hash;
    }

    /// <summary>The recorded entries of a folder, or null when it has no seal.</summary>
    public static IReadOnlyDictionary<string, Entry>? Read(string folder) => ReadEntries(folder);

    /// <summary>An input error naming the damaged files (the first three) and what is wrong.</summary>
    public static MilanInputException Damaged(IReadOnlyList<SealProblem> problems) => new(
        $"{string.Join("; ", problems.Take(3))}{(problems.Count > 3 ? $" (and {problems.Count - 3} more)" : "")}: "
        + "a finished stage's file was deleted or changed after it was written");

    private static (SealProblem? Problem, Entry? Renewed) CheckFile(string folder, string name, Entry entry, SealCheck mode)
    {
        string path = Path.Combine(folder, name);
        var info = new FileInfo(path);
        if (!info.Exists) return (new SealProblem(path, "missing"), null);
        if (info.Length != entry.Size) return (new SealProblem(path, $"{info.Length} bytes, {entry.Size} when written"), null);
        long modified = info.LastWriteTimeUtc.Ticks;
        if (mode == SealCheck.Fast && modified == entry.ModifiedTicks) return (null, null);
        string hash = Hash(path);
        if (hash != entry.Hash) return (new SealProblem(path, $"content changed (XXH128 {hash}, {entry.Hash} when written)"), null);
        return (null, modified == entry.ModifiedTicks ? null : entry with { ModifiedTicks = modified });
    }

    /// <summary>Records what an unsealed folder holds now (best effort: a read-only folder stays unsealed).</summary>
    private static void TrustOnFirstUse(string folder, IReadOnlyList<string>? files)
    {
        try
        {
            if (files is null) Seal(folder);
            else Record(folder, [.. files.Where(f => File.Exists(Path.Combine(folder, f)))]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryRenew(string folder, SortedDictionary<string, Entry> entries, Dictionary<string, Entry> renewed, string[] recordNow)
    {
        foreach (var (name, entry) in renewed) entries[name] = entry;
        foreach (var (name, entry) in Measure(folder, recordNow)) entries[name] = entry;
        try
        {
            Write(folder, entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only copy: the files are hashed again at the next check.
        }
    }

    private static Dictionary<string, Entry> Measure(string folder, IReadOnlyList<string> names)
    {
        var entries = new Entry[names.Count];
        Parallel.For(0, names.Count, i =>
        {
            string path = Path.Combine(folder, names[i]);
            var info = new FileInfo(path);
            if (!info.Exists) throw MilanInputException.InFile(path, "cannot record a file that does not exist");
            entries[i] = new Entry(info.Length, info.LastWriteTimeUtc.Ticks, Hash(path));
        });
        return names.Select((n, i) => (n, entries[i])).ToDictionary(p => p.n, p => p.Item2);
    }

    /// <summary>XXH128 of a file's content, lowercase hex.</summary>
    public static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var hash = new XxHash128();
        hash.Append(stream);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static SortedDictionary<string, Entry>? ReadEntries(string folder)
    {
        string path = PathIn(folder);
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        try
        {
            var document = JsonSerializer.Deserialize<Document>(InputFile.ReadAllText(path), Json);
            if (document?.Format != Format || document.Files is null)
                throw MilanInputException.InFile(path, $"not a stage seal (format '{document?.Format}', expected '{Format}' with 'files')");
            return new SortedDictionary<string, Entry>(document.Files, StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"not a valid stage seal ({e.Message})");
        }
    }

    private static void Write(string folder, SortedDictionary<string, Entry> entries) =>
        AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(new Document(Format, entries), Json));

    private static string Relative(string folder, string file) => Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');

    private static string Normalise(string name) => name.Replace(Path.DirectorySeparatorChar, '/');
}

/// <summary>A finished folder found damaged and deleted by <see cref="StageSeal.DiscardIfDamaged"/>, with the record it had.</summary>
public sealed class StageDamage(string folder, IReadOnlyList<SealProblem> problems, IReadOnlyDictionary<string, StageSeal.Entry>? before)
{
    public string Folder { get; } = folder;
    public IReadOnlyList<SealProblem> Problems { get; } = problems;

    /// <summary>One line for progress and logs: the first damaged file and what is wrong.</summary>
    public string Message => $"{Problems[0]}{(Problems.Count > 1 ? $" (and {Problems.Count - 1} more)" : "")}";

    /// <summary>
    /// True when the rebuilt folder holds the same files with the same content as the damaged one's
    /// record: whatever was made from the old folder is still valid. False when the record itself
    /// was lost or the rebuild made different bytes.
    /// </summary>
    public bool Restored()
    {
        if (before is null) return false;
        var now = StageSeal.Read(Folder);
        return now is not null && now.Count == before.Count
            && before.All(e => now.TryGetValue(e.Key, out var n) && n.Size == e.Value.Size && n.Hash == e.Value.Hash);
    }
}
