namespace Milan.Notebooks.Packages;

/// <summary>
/// The packages and sources a notebook has asked for so far. Every request restores the whole set
/// again (cached), so that the dependency graph stays consistent; a package cannot change version
/// once added, with .NET Interactive's message (reference/notebooks-spec.md 2.5, 5).
/// </summary>
public sealed class PackageSession(PackageRestorer restorer, PackageAssemblyResolver resolver, Action<string> log)
{
    private readonly Dictionary<string, PackageReference> _requested = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds the requests and restores; returns the managed assemblies not referenced before, which
    /// the script must reference from now on.
    /// </summary>
    public IReadOnlyList<string> Add(IReadOnlyList<PackageReference> packages, IReadOnlyList<string> sources)
    {
        var requested = new Dictionary<string, PackageReference>(_requested, StringComparer.OrdinalIgnoreCase);
        foreach (var package in packages)
        {
            if (requested.TryGetValue(package.Name, out var earlier) && !SameVersion(earlier, package))
                throw new RestoreException(
                    $"{package.Name} version {package.Version} cannot be added because version {earlier.Version} was added previously.");
            if (earlier is null || earlier.IsFloating) requested[package.Name] = package;
        }
        var allSources = _sources.Concat(sources).Distinct(StringComparer.Ordinal).ToList();

        var result = restorer.Restore(requested.Values, allSources);
        resolver.Add(result);
        NativePreloads.Apply(result, log);

        foreach (var (name, package) in requested) _requested[name] = package;
        _sources.Clear();
        _sources.AddRange(allSources);
        return result.Assets
            .Where(a => a.Kind == AssetKind.Managed && _referenced.Add(a.Path))
            .Select(a => a.Path)
            .ToList();
    }

    /// <summary>A floating version on either side is compatible (the exact one wins); otherwise the versions must match.</summary>
    private static bool SameVersion(PackageReference earlier, PackageReference later) =>
        later.IsFloating || earlier.IsFloating || string.Equals(earlier.Version, later.Version, StringComparison.OrdinalIgnoreCase);
}
