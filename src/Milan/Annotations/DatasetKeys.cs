using System.Text.RegularExpressions;

namespace Milan.Annotations;

/// <summary>
/// The reference's dataset keys and groupings (milan-spec §2.4), and the resolution of key
/// expressions to folders. An expression is a comma-separated list of terms, concatenated in order;
/// each term is one of:
/// <list type="bullet">
/// <item>a grouping: base, cls, gen, imagenet, places365, alexnet, resnet152, biggan, not-&lt;arch&gt;-&lt;dataset&gt;;</item>
/// <item>a registered key such as alexnet/imagenet (annotated) or resnet18/imagenet-blurred (local exemplars);</item>
/// <item>a glob over dataset folders under MILAN_DATA_DIR, '*' and '?' within one path segment, e.g.
///   "*/world-a" (every model on one world dataset) or "resnet18/*" (one model on every dataset);</item>
/// <item>a folder under MILAN_DATA_DIR, e.g. resnet18/world-a, or any folder path in the same layout.</item>
/// </list>
/// Folders are loaded the same way whatever made them (download, the exemplar stage, the bundled
/// world's corpus builder); only registered keys carry settings of their own.
/// </summary>
public static partial class DatasetKeys
{
    /// <summary>The reference's host for archives: http://milan.csail.mit.edu/data/&lt;arch&gt;-&lt;dataset&gt;.zip.</summary>
    public const string DefaultBaseUrl = "http://milan.csail.mit.edu/data";

    /// <summary>Environment variable that overrides <see cref="DefaultBaseUrl"/> (e.g. for a mirror or a test server).</summary>
    public const string BaseUrlVariable = "MILAN_DATA_URL";

    public const string Classifier = "classifier";
    public const string Generator = "generator";
    public const string SelfSupervised = "self-supervised";

    /// <summary>The base URL in effect: $MILAN_DATA_URL, else <see cref="DefaultBaseUrl"/>.</summary>
    public static string BaseUrl =>
        Environment.GetEnvironmentVariable(BaseUrlVariable) is { Length: > 0 } value ? value : DefaultBaseUrl;

    private sealed record Entry(string Architecture, string Dataset, int? AnnotationCount, string? SourceImages, bool Downloadable, string Task)
    {
        public string Name => $"{Architecture}/{Dataset}";
    }

    private static readonly Entry[] AnnotatedEntries =
    [
        new("alexnet", "imagenet", 3, "imagenet/val", true, Classifier),
        new("alexnet", "places365", 3, "places365/val", true, Classifier),
        new("resnet152", "imagenet", 3, "imagenet/val", true, Classifier),
        new("resnet152", "places365", 3, "places365/val", true, Classifier),
        new("biggan", "imagenet", 3, null, true, Generator),
        new("biggan", "places365", 3, null, true, Generator),
        new("dino_vits8", "imagenet", 3, "imagenet/val", true, SelfSupervised),
    ];

    private static readonly Entry[] UnannotatedEntries = BuildUnannotated();

    private static readonly Dictionary<string, Entry> EntriesByName =
        AnnotatedEntries.Concat(UnannotatedEntries).ToDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>The 7 annotated (downloadable) keys, in the reference's registration order.</summary>
    public static IReadOnlyList<string> Annotated { get; } = AnnotatedEntries.Select(e => e.Name).ToArray();

    /// <summary>Keys for local exemplars only (no annotations, no archive).</summary>
    public static IReadOnlyList<string> Unannotated { get; } = UnannotatedEntries.Select(e => e.Name).ToArray();

    /// <summary>The reference's DATASET_GROUPINGS, each loaded and concatenated in this order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Groupings { get; } = BuildGroupings();

    /// <summary>A registered key by name, with its folder under <paramref name="dataRoot"/> (default MILAN_DATA_DIR); null if unknown.</summary>
    public static DatasetKey? Find(string name, string? dataRoot = null)
    {
        if (!EntriesByName.TryGetValue(name, out var entry)) return null;
        string root = dataRoot ?? MilanRoots.Data;
        return new DatasetKey(entry.Name, entry.Architecture, entry.Dataset,
            Path.Combine(root, entry.Architecture, entry.Dataset), entry.AnnotationCount,
            entry.SourceImages is null ? null : Path.Combine(root, entry.SourceImages),
            entry.Downloadable ? $"{entry.Architecture}-{entry.Dataset}.zip" : null, entry.Task);
    }

    /// <summary>A registered key by name; unknown names raise <see cref="MilanInputException"/>.</summary>
    public static DatasetKey Get(string name, string? dataRoot = null) =>
        Find(name, dataRoot) ?? throw new MilanInputException($"unknown dataset key '{name}' (registered keys: {string.Join(", ", Annotated.Concat(Unannotated))})");

    /// <summary>
    /// A folder in the exemplar layout as a key: architecture = parent folder name, dataset = folder
    /// name, name "&lt;architecture&gt;/&lt;dataset&gt;" unless given, no annotation count, source images (if
    /// ever needed) in &lt;dataRoot&gt;/&lt;dataset&gt;/val.
    /// </summary>
    public static DatasetKey ForFolder(string folder, string? name = null, string? dataRoot = null)
    {
        string full = Path.GetFullPath(folder.TrimEnd('/', Path.DirectorySeparatorChar));
        string dataset = Path.GetFileName(full);
        string architecture = Path.GetFileName(Path.GetDirectoryName(full) ?? "") ?? "";
        return new DatasetKey(name ?? $"{architecture}/{dataset}", architecture, dataset, full, AnnotationCount: null,
            SourceImages: Path.Combine(dataRoot ?? MilanRoots.Data, dataset, "val"), ArchiveName: null, Task: null);
    }

    /// <summary>
    /// Resolves a key expression (see the type's summary) to keys in concatenation order. A key
    /// listed twice is an error. Registered keys resolve even when not yet fetched (opening them then
    /// says how to fetch); folders must exist.
    /// </summary>
    public static IReadOnlyList<DatasetKey> Resolve(string expression, string? dataRoot = null)
    {
        string root = Path.GetFullPath(dataRoot ?? MilanRoots.Data);
        var terms = expression.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (terms.Length == 0) throw new MilanInputException($"dataset key '{expression}': empty (expected a key, a grouping, a glob or a folder)");
        var keys = new List<DatasetKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            foreach (var key in ResolveTerm(term, root))
            {
                if (!seen.Add(Path.GetFullPath(key.Folder)))
                    throw new MilanInputException($"dataset key '{expression}': '{key.Name}' is listed more than once");
                keys.Add(key);
            }
        }
        return keys;
    }

    /// <summary>Whether a folder looks like an exemplar dataset: annotations.csv or a layer folder with masks.npy.</summary>
    public static bool IsDatasetFolder(string folder) =>
        Directory.Exists(folder)
        && (File.Exists(Path.Combine(folder, AnnotationTable.FileName))
            || Directory.EnumerateDirectories(folder).Any(d => File.Exists(Path.Combine(d, TopImagesLayer.MasksFile))));

    /// <summary>Every dataset folder two levels below the data root (&lt;arch&gt;/&lt;dataset&gt;), as keys, sorted by name.</summary>
    public static IReadOnlyList<DatasetKey> Local(string? dataRoot = null) =>
        ResolveGlob("*/*", Path.GetFullPath(dataRoot ?? MilanRoots.Data), failWhenEmpty: false);

    private static IEnumerable<DatasetKey> ResolveTerm(string term, string root)
    {
        string normalized = term.Replace('\\', '/').Trim('/');
        if (Groupings.TryGetValue(term, out var members))
            return members.Select(m => Find(m, root)!);
        if (Find(normalized, root) is { } registered)
            return [registered];
        if (normalized.IndexOfAny(['*', '?']) >= 0)
            return ResolveGlob(normalized, root, failWhenEmpty: true);
        if (!Path.IsPathRooted(term) && Directory.Exists(Path.Combine(root, normalized)))
            return [ForFolder(Path.Combine(root, normalized), normalized, root)];
        if (Directory.Exists(term))
        {
            // A path to a registered key's folder is that key (with its annotation count).
            string relative = Path.GetRelativePath(root, Path.GetFullPath(term)).Replace('\\', '/');
            return [Find(relative, root) ?? ForFolder(term, dataRoot: root)];
        }
        throw new MilanInputException(
            $"dataset key '{term}': not a registered key, a grouping, or a folder under {root} "
            + $"(groupings: {string.Join(", ", Groupings.Keys)}; annotated keys: {string.Join(", ", Annotated)}; "
            + "a glob such as '*/world-a' matches folders under the data root)");
    }

    private static IReadOnlyList<DatasetKey> ResolveGlob(string pattern, string root, bool failWhenEmpty)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> candidates = [""];
        foreach (var segment in segments)
        {
            var regex = new Regex("^" + Regex.Escape(segment).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
            candidates = candidates.SelectMany(relative =>
            {
                string folder = Path.Combine(root, relative);
                if (!Directory.Exists(folder)) return [];
                return Directory.EnumerateDirectories(folder)
                    .Select(Path.GetFileName)
                    .Where(n => n is not null && !n.StartsWith('.') && regex.IsMatch(n))
                    .Select(n => relative.Length == 0 ? n! : $"{relative}/{n}");
            }).ToArray();
        }
        var keys = candidates
            .Where(relative => IsDatasetFolder(Path.Combine(root, relative)))
            .OrderBy(relative => relative, StringComparer.Ordinal)
            .Select(relative => Find(relative, root) ?? ForFolder(Path.Combine(root, relative), relative, root))
            .ToArray();
        if (keys.Length == 0 && failWhenEmpty)
            throw new MilanInputException($"dataset key '{pattern}': matches no dataset folder under {root}");
        return keys;
    }

    private static Entry[] BuildUnannotated()
    {
        var entries = new List<Entry>();
        foreach (var model in new[] { "alexnet", "resnet152" })
            entries.Add(new Entry(model, "imagenet-blurred", null, "imagenet-blurred/val", false, Classifier));
        entries.Add(new Entry("resnet18", "places365", null, "places365/val", false, Classifier));
        foreach (var model in new[] { "densenet121", "densenet201", "mobilenet_v2", "resnet18", "resnet34", "resnet50", "resnet101",
                                      "shufflenet_v2_x1_0", "squeezenet1_0", "vgg11", "vgg13", "vgg16", "vgg19" })
            foreach (var dataset in new[] { "imagenet", "imagenet-blurred" })
                entries.Add(new Entry(model, dataset, null, $"{dataset}/val", false, Classifier));
        return entries.ToArray();
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> BuildGroupings()
    {
        string[] @base = ["alexnet/imagenet", "alexnet/places365", "resnet152/imagenet", "resnet152/places365", "biggan/imagenet", "biggan/places365"];
        var groupings = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["base"] = @base,
            ["cls"] = @base[..4],
            ["gen"] = @base[4..],
            ["imagenet"] = @base.Where(k => k.EndsWith("/imagenet", StringComparison.Ordinal)).ToArray(),
            ["places365"] = @base.Where(k => k.EndsWith("/places365", StringComparison.Ordinal)).ToArray(),
        };
        foreach (var architecture in new[] { "alexnet", "resnet152", "biggan" })
            groupings[architecture] = @base.Where(k => k.StartsWith(architecture + "/", StringComparison.Ordinal)).ToArray();
        foreach (var heldOut in @base)
            groupings["not-" + heldOut.Replace('/', '-')] = @base.Where(k => k != heldOut).ToArray();
        return groupings;
    }
}
