namespace Milan.Notebooks.Packages;

/// <summary>The assets of a restored package set, with the NuGet package folder they live in.</summary>
public sealed record RestoreResult(string PackageFolder, IReadOnlyList<ResolvedAsset> Assets)
{
    /// <summary>Reads the resolution file written by Restore/NotebookRestore.targets.</summary>
    public static RestoreResult Parse(IEnumerable<string> lines)
    {
        string folder = "";
        var assets = new List<ResolvedAsset>();
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            string[] fields = line.Split('|');
            switch (fields[0])
            {
                case "root" when fields.Length == 2:
                    folder = fields[1];
                    break;
                case "runtime" when fields.Length == 4:
                    assets.Add(new ResolvedAsset(AssetKind.Managed, fields[1], fields[2], fields[3]));
                    break;
                case "native" when fields.Length == 4:
                    assets.Add(new ResolvedAsset(AssetKind.Native, fields[1], fields[2], fields[3]));
                    break;
                default:
                    throw new InvalidDataException($"unexpected line in a package resolution file: '{line}'");
            }
        }
        return new RestoreResult(folder, assets);
    }

    /// <summary>True when every file still exists (a purged package folder invalidates a cached result).</summary>
    public bool FilesExist() => Assets.All(a => File.Exists(a.Path));

    /// <summary>The distinct packages, as (id, version).</summary>
    public IEnumerable<(string Id, string Version)> Packages =>
        Assets.Select(a => (a.PackageId, a.PackageVersion)).Distinct();
}
