namespace Milan.Notebooks.Packages;

/// <summary>A file a restored package contributes at run time.</summary>
/// <param name="Kind">Managed assembly or native library.</param>
/// <param name="PackageId">The package, as NuGet spells it.</param>
/// <param name="PackageVersion">The version NuGet resolved.</param>
/// <param name="Path">Full path in the NuGet package folder.</param>
public sealed record ResolvedAsset(AssetKind Kind, string PackageId, string PackageVersion, string Path);

public enum AssetKind
{
    Managed,
    Native,
}
