using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Milan.IO;

namespace Milan.Annotations;

/// <summary>Options for <see cref="DatasetFetch"/>.</summary>
public sealed record FetchOptions
{
    /// <summary>Where datasets go (MILAN_DATA_DIR when null): &lt;DataRoot&gt;/&lt;arch&gt;/&lt;dataset&gt;.</summary>
    public string? DataRoot { get; init; }

    /// <summary>The archive host's folder (default <see cref="DatasetKeys.BaseUrl"/>: $MILAN_DATA_URL or http://milan.csail.mit.edu/data).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Expected SHA-256 of the archive (hex). The reference publishes none; pin one you trust.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Install from this local zip instead of downloading.</summary>
    public string? Archive { get; init; }

    /// <summary>Replace an existing dataset folder (the old one stays in place until the new one is complete).</summary>
    public bool Force { get; init; }

    /// <summary>Keep the downloaded archive in &lt;DataRoot&gt;/.downloads after extraction.</summary>
    public bool KeepArchive { get; init; }

    public DownloadOptions Download { get; init; } = new();
}

/// <summary>What <see cref="DatasetFetch.FetchAsync"/> did.</summary>
/// <param name="AlreadyPresent">True when the folder existed and nothing was done.</param>
/// <param name="Sha256">The archive's SHA-256 (hex, lowercase), for pinning with --sha256.</param>
public sealed record FetchResult(DatasetKey Key, string Folder, bool AlreadyPresent, string? Archive, long ArchiveBytes, string? Sha256, int Files);

/// <summary>
/// <c>milan data fetch</c>: downloads a registered key's archive from the reference's address
/// (&lt;base&gt;/&lt;arch&gt;-&lt;dataset&gt;.zip), resumably (<see cref="ArchiveDownload"/>), checks it, and extracts
/// it into &lt;DataRoot&gt;/&lt;arch&gt;/&lt;dataset&gt;. Checks: the declared size (HTTP), an optional SHA-256,
/// every entry's CRC-32 and length, no entry escaping the folder, and the extracted folder must open
/// as a dataset (layout, npy headers, CSV consistency). Extraction happens in a temporary sibling
/// folder renamed into place at the end, so the dataset folder is either absent or complete.
/// </summary>
public static class DatasetFetch
{
    /// <summary>Folder under the data root where archives are downloaded (hidden from key globs).</summary>
    public const string DownloadsFolder = ".downloads";

    public static async Task<FetchResult> FetchAsync(string keyName, FetchOptions? options = null,
        IProgress<WorkProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new FetchOptions();
        string root = Path.GetFullPath(options.DataRoot ?? MilanRoots.Data);
        var key = DatasetKeys.Find(keyName, root)
                  ?? throw new MilanInputException($"dataset key '{keyName}': not a downloadable key (downloadable: {string.Join(", ", DatasetKeys.Annotated)})");
        if (key.ArchiveName is null)
            throw new MilanInputException($"dataset key '{keyName}': no published archive (the reference has local exemplars only for it; compute them with the exemplar stage)");
        if (Directory.Exists(key.Folder) && !options.Force)
            return new FetchResult(key, key.Folder, AlreadyPresent: true, null, 0, null, 0);

        string archive;
        bool downloaded = options.Archive is null;
        if (options.Archive is { } local)
        {
            if (!File.Exists(local) && !Directory.Exists(local)) throw MilanInputException.InFile(local, "archive not found");
            archive = Path.GetFullPath(local);
        }
        else
        {
            var url = key.ArchiveUrl(options.BaseUrl ?? DatasetKeys.BaseUrl)!;
            archive = Path.Combine(root, DownloadsFolder, key.ArchiveName);
            await ArchiveDownload.DownloadAsync(url, archive, options.Download, progress, cancellation);
        }

        try
        {
            string sha256 = HashFile(archive, progress, cancellation);
            long bytes = new FileInfo(archive).Length;
            if (options.Sha256 is { } expected && !string.Equals(expected.Trim(), sha256, StringComparison.OrdinalIgnoreCase))
                throw MilanInputException.InFile(archive, $"SHA-256 {sha256} differs from the expected {expected.Trim()} (--sha256); {(downloaded ? "the download was deleted" : "nothing was extracted")}");
            int files = Install(archive, key, options.Force, progress);
            if (downloaded && !options.KeepArchive) File.Delete(archive);
            return new FetchResult(key, key.Folder, AlreadyPresent: false, downloaded && !options.KeepArchive ? null : archive, bytes, sha256, files);
        }
        catch (MilanInputException)
        {
            // A bad archive would fail the same way next time: drop a downloaded copy so a retry downloads afresh.
            if (downloaded) File.Delete(archive);
            throw;
        }
    }

    /// <summary>Extracts into a temporary sibling, validates the layout, then renames it into place (swapping out an old copy with --force).</summary>
    private static int Install(string archive, DatasetKey key, bool force, IProgress<WorkProgress>? progress)
    {
        string parent = Path.GetDirectoryName(Path.GetFullPath(key.Folder))!;
        RemoveLeftovers(parent, key.Dataset);
        int files = 0;
        void Fill(string folder)
        {
            files = SafeZipExtraction.Extract(archive, folder, progress);
            CheckLayout(archive, folder, key);
        }

        if (!Directory.Exists(key.Folder))
        {
            AtomicDirectory.Create(key.Folder, Fill);
            return files;
        }
        if (!force) throw MilanInputException.InFile(key.Folder, "already exists");
        string staged = Path.Combine(parent, $"{AtomicDirectory.PartialPrefix}{key.Dataset}-new-{Guid.NewGuid():N}");
        AtomicDirectory.Create(staged, Fill);
        string old = Path.Combine(parent, $"{AtomicDirectory.PartialPrefix}{key.Dataset}-old-{Guid.NewGuid():N}");
        Directory.Move(key.Folder, old);
        Directory.Move(staged, key.Folder);
        Directory.Delete(old, recursive: true);
        return files;
    }

    /// <summary>
    /// Removes temporary folders a crashed fetch of this dataset left in <paramref name="parent"/>;
    /// only names this class makes are matched, so other stages' folders under construction (e.g.
    /// .partial-imagenet-blurred-…) are left alone.
    /// </summary>
    private static void RemoveLeftovers(string parent, string dataset)
    {
        if (!Directory.Exists(parent)) return;
        string prefix = Regex.Escape(AtomicDirectory.PartialPrefix);
        var ours = new Regex($"^{prefix}({prefix})?{Regex.Escape(dataset)}-((new|old)-)?[0-9a-f]{{32}}(-[0-9a-f]{{32}})?$");
        foreach (var folder in Directory.EnumerateDirectories(parent).Where(d => ours.IsMatch(Path.GetFileName(d))))
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private static void CheckLayout(string archive, string folder, DatasetKey key)
    {
        if (!File.Exists(Path.Combine(folder, AnnotationTable.FileName)))
        {
            var top = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Take(8);
            throw MilanInputException.InFile(archive, $"does not hold the MILANNOTATIONS layout: no {AnnotationTable.FileName} at its top level (found: {string.Join(", ", top)})");
        }
        var check = key with { Folder = folder };
        using var dataset = TopImagesDataset.Open(check, new TopImagesLoadOptions { MissingImages = MissingImages.Skip });
    }

    private static string HashFile(string path, IProgress<WorkProgress>? progress, CancellationToken cancellation)
    {
        using var stream = InputFile.OpenRead(path, 1 << 20);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long done = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, read);
            done += read;
            progress?.Report(new WorkProgress($"check {Path.GetFileName(path)}", done, stream.Length));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
