using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Milan.Notebooks.Packages;

/// <summary>
/// Keeps packages from local folder feeds current. NuGet extracts a package version into its
/// package folder once and never looks at the feed again, so a package re-packed under the same
/// version (the Milan library in artifacts/feed, docs/notebooks.md) would go on loading the stale
/// copy. NuGet records the feed and the SHA-512 of the .nupkg it extracted in .nupkg.metadata;
/// when the .nupkg now in that folder feed has another hash, the extracted copy is deleted so that
/// the next restore extracts the new one.
/// </summary>
public static class LocalFeedCopies
{
    /// <summary>Deletes stale copies; returns the packages deleted (empty: all current).</summary>
    public static IReadOnlyList<string> PurgeStale(RestoreResult result)
    {
        var purged = new List<string>();
        foreach (var (id, version) in result.Packages)
        {
            string folder = Path.Combine(result.PackageFolder, id.ToLowerInvariant(), version.ToLowerInvariant());
            string metadataPath = Path.Combine(folder, ".nupkg.metadata");
            if (!File.Exists(metadataPath)) continue;
            var metadata = JsonNode.Parse(File.ReadAllText(metadataPath));
            string? source = (string?)metadata?["source"];
            string? contentHash = (string?)metadata?["contentHash"];
            if (source is null || contentHash is null || !Path.IsPathRooted(source) || !Directory.Exists(source)) continue;
            string? nupkg = FindInFolderFeed(source, id, version);
            if (nupkg is null) continue;
            string feedHash;
            using (var stream = File.OpenRead(nupkg))
                feedHash = Convert.ToBase64String(SHA512.HashData(stream));
            if (feedHash == contentHash) continue;
            Directory.Delete(folder, recursive: true);
            purged.Add($"{id} {version}");
        }
        return purged;
    }

    /// <summary>The .nupkg of a package in a folder feed, flat or hierarchical (id/version/).</summary>
    private static string? FindInFolderFeed(string feed, string id, string version)
    {
        string name = $"{id}.{version}.nupkg";
        string[] candidates =
        [
            Path.Combine(feed, name),
            Path.Combine(feed, id.ToLowerInvariant(), version.ToLowerInvariant(), name.ToLowerInvariant()),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? Directory.EnumerateFiles(feed, "*.nupkg")
                .FirstOrDefault(f => string.Equals(Path.GetFileName(f), name, StringComparison.OrdinalIgnoreCase));
    }
}
