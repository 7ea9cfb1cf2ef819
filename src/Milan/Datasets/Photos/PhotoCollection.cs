using System.Globalization;
using System.Runtime.InteropServices;
using Milan.IO;
using SkiaSharp;

namespace Milan.Datasets.Photos;

/// <summary>One image found in a package: where (a file, or a file inside a Qt resource) and how to read its bytes.</summary>
/// <param name="Source">Path relative to the package root; inside a resource, "&lt;resource path&gt;:/&lt;path inside&gt;".</param>
/// <param name="Name">The file name it gets in the photo folder (folders below the package's photo folder joined by '_').</param>
public sealed record PhotoCandidate(string Package, string Source, string Name, Func<byte[]> Read);

/// <summary>Per package: images found, kept, and dropped per rule (the rule's first word: small, few, smooth, ...).</summary>
public sealed record PhotoPackageSummary(string Package, bool Present, int Found, int Kept, IReadOnlyDictionary<string, int> Dropped);

/// <summary>
/// Gathers the photographs of Debian packages unpacked under a root (&lt;root&gt;/&lt;package&gt;/usr/...,
/// as scripts/setup-photos.sh leaves them) into an image folder for <see cref="ImageFolderSource"/>:
/// <code>
/// &lt;out&gt;/&lt;package&gt;/&lt;name&gt;   every kept image, one class folder per package; the original bytes,
///                           or a PNG on the ImageNet mean grey for images with transparency
/// &lt;out&gt;/manifest.csv          image,package,source,license,width,height,composited (kept images)
/// &lt;out&gt;/filter.csv            every image found, its statistics and verdict (kept or why dropped)
/// </code>
/// An image is kept when it decodes, passes the <see cref="PhotoFilter"/>, and is not the same picture
/// (average hashes within <see cref="DuplicateDistance"/> bits) as a larger one already kept: wallpapers
/// ship each picture at several sizes. The folder is written atomically.
/// </summary>
public static class PhotoCollection
{
    public const string ManifestFile = "manifest.csv";
    public const string FilterFile = "filter.csv";
    public const int DuplicateDistance = 2;

    /// <summary>The grey that transparent pixels become: the ImageNet mean, which a normalised network sees as zero.</summary>
    private static readonly byte[] Backdrop = [124, 116, 104];

    public static IReadOnlyList<PhotoPackageSummary> Gather(string packagesRoot, string outFolder, IReadOnlyList<PhotoPackage> packages,
                                                            PhotoFilter filter, IProgress<WorkProgress>? progress = null)
    {
        var present = packages.Where(p => Directory.Exists(Path.Combine(packagesRoot, p.Name))).ToArray();
        if (present.Length == 0)
            throw MilanInputException.InFile(packagesRoot, $"none of the packages ({string.Join(", ", packages.Select(p => p.Name))}) is unpacked here; run scripts/setup-photos.sh");
        var candidates = present.SelectMany(p => Candidates(Path.Combine(packagesRoot, p.Name), p)).ToArray();
        var statistics = new PhotoStatistics?[candidates.Length];
        long done = 0;
        Parallel.For(0, candidates.Length, i =>
        {
            statistics[i] = PhotoStatistics.Measure(candidates[i].Read());
            progress?.Report(new WorkProgress("photos: measure", Interlocked.Increment(ref done), candidates.Length));
        });

        var verdicts = new string?[candidates.Length];
        for (int i = 0; i < candidates.Length; i++) verdicts[i] = statistics[i] is { } s ? filter.Reject(s) : "undecodable (or over the pixel limit)";
        var kept = new List<int>();
        var byPackage = present.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (int i in Enumerable.Range(0, candidates.Length).Where(i => verdicts[i] is null)
                     .OrderByDescending(i => (long)statistics[i]!.Width * statistics[i]!.Height).ThenBy(i => i))
        {
            int same = kept.FindIndex(k => PhotoStatistics.HashDistance(statistics[k]!.AverageHash, statistics[i]!.AverageHash) <= DuplicateDistance);
            if (same >= 0) verdicts[i] = $"duplicate of {candidates[kept[same]].Package}:{candidates[kept[same]].Source}";
            else kept.Add(i);
        }

        var copyrights = present.ToDictionary(p => p.Name, p => DebianCopyright.Read(Path.Combine(packagesRoot, p.Name), p.Name));
        var images = new string?[candidates.Length];
        AtomicDirectory.Create(outFolder, folder =>
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            var manifest = new List<object?[]>();
            int written = 0;
            foreach (int i in kept.Order())
            {
                var candidate = candidates[i];
                var s = statistics[i]!;
                string name = s.HasTransparency ? Path.ChangeExtension(candidate.Name, ".png") : candidate.Name;
                string image = Unique($"{candidate.Package}/{name}", used);
                images[i] = image;
                string path = Path.Combine(folder, image);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, s.HasTransparency ? Composited(candidate.Read()) : candidate.Read());
                manifest.Add([image, candidate.Package, candidate.Source, copyrights[candidate.Package].LicenseOf(LicensePath(candidate.Source)),
                              s.Width, s.Height, s.HasTransparency ? "yes" : "no"]);
                progress?.Report(new WorkProgress("photos: write", ++written, kept.Count));
            }
            CsvFile.Write(Path.Combine(folder, ManifestFile), ["image", "package", "source", "license", "width", "height", "composited"], manifest);
            CsvFile.Write(Path.Combine(folder, FilterFile),
                ["package", "source", "width", "height", "opaque_share", "colours", "top_colour_share", "flat_share", "average_hash", "verdict", "image"],
                candidates.Select((c, i) => statistics[i] is { } s
                    ? new object?[] { c.Package, c.Source, s.Width, s.Height, Share(s.OpaqueShare), s.Colours, Share(s.TopColourShare), Share(s.FlatShare),
                                      s.AverageHash.ToString("x16", CultureInfo.InvariantCulture), verdicts[i] ?? "kept", images[i] }
                    : [c.Package, c.Source, null, null, null, null, null, null, null, verdicts[i], null]));
        });

        return present.Select(p =>
        {
            var mine = Enumerable.Range(0, candidates.Length).Where(i => candidates[i].Package == p.Name).ToArray();
            var dropped = mine.Where(i => verdicts[i] is not null).GroupBy(i => verdicts[i]!.Split(' ')[0]).ToDictionary(g => g.Key, g => g.Count());
            return new PhotoPackageSummary(p.Name, true, mine.Length, mine.Count(i => verdicts[i] is null), dropped);
        }).Concat(packages.Except(present).Select(p => new PhotoPackageSummary(p.Name, false, 0, 0, new Dictionary<string, int>()))).ToArray();
    }

    /// <summary>The images of one unpacked package, in path order: image files, then images inside resource files.</summary>
    public static IEnumerable<PhotoCandidate> Candidates(string packageRoot, PhotoPackage package)
    {
        foreach (var folder in package.Folders)
        {
            string start = Path.Combine(packageRoot, folder);
            if (!Directory.Exists(start)) continue;
            foreach (var file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                string source = Path.GetRelativePath(packageRoot, file).Replace('\\', '/');
                string below = Path.GetRelativePath(start, file).Replace('\\', '/');
                if (PhotoPackage.IsImage(file))
                    yield return new PhotoCandidate(package.Name, source, NameOf(below), () => File.ReadAllBytes(file));
                else if (file.EndsWith(PhotoPackage.ResourceExtension, StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var (inner, data) in QtResourceFile.Files(file))
                        if (PhotoPackage.IsImage(inner))
                            yield return new PhotoCandidate(package.Name, $"{source}:/{inner}", NameOf(Path.GetFileNameWithoutExtension(below) + "/" + inner), () => data);
                }
            }
        }
    }

    /// <summary>The path the copyright file's patterns are matched against: for an image in a resource, the resource's path and the path inside it.</summary>
    private static string LicensePath(string source) => source.Replace(":/", "/");

    private static string NameOf(string relative)
    {
        var chars = relative.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : c == '/' ? '_' : '-').ToArray();
        string name = new(chars);
        string extension = Path.GetExtension(name).ToLowerInvariant();
        string stem = Path.GetFileNameWithoutExtension(name);
        return (stem.Length > 150 ? stem[^150..] : stem) + extension;
    }

    private static string Unique(string path, HashSet<string> used)
    {
        string candidate = path;
        for (int n = 2; !used.Add(candidate); n++)
            candidate = $"{Path.ChangeExtension(path, null)}-{n.ToString(CultureInfo.InvariantCulture)}{Path.GetExtension(path)}";
        return candidate;
    }

    private static string Share(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>The image drawn over <see cref="Backdrop"/>, as PNG.</summary>
    private static byte[] Composited(byte[] encoded)
    {
        var (rgba, width, height, _, _) = PhotoStatistics.Decode(encoded, int.MaxValue)
                                          ?? throw new InvalidOperationException("an image that decoded once no longer decodes");
        for (int i = 0; i < rgba.Length; i += 4)
        {
            int alpha = rgba[i + 3];
            for (int c = 0; c < 3; c++) rgba[i + c] = (byte)((rgba[i + c] * alpha + Backdrop[c] * (255 - alpha) + 127) / 255);
            rgba[i + 3] = 255;
        }
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), width * 4);
            using var data = pixmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("PNG encoding failed");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
