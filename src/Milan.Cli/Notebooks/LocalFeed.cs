using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Milan.Cli.Notebooks;

/// <summary>
/// The local NuGet feed through which notebooks get the Milan library: <c>artifacts/feed</c> in
/// the repository, holding one <c>Milan.0.1.0-local.&lt;time&gt;.h&lt;clone&gt;.nupkg</c> packed from
/// src/Milan, which notebooks reference with <c>#r "nuget: Milan, 0.1.0-*"</c> (the highest
/// prerelease in the feed; notebooks/NuGet.config names the feed; docs/notebooks.md). The feed is
/// re-packed when any input of the library is newer than the package. Every pack gets a new version
/// (the time, and a hash of the clone's path), because NuGet never re-extracts a version it holds in
/// its machine-wide package folder: so no copy there is ever stale or deleted, and clones on one
/// machine never share a version.
/// </summary>
public static class LocalFeed
{
    public const string PackageId = "Milan";

    /// <summary>The repository that holds <paramref name="start"/> (a file or folder), or null.</summary>
    public static string? FindRepository(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Milan.Research.sln"))
                && File.Exists(Path.Combine(dir.FullName, "src", "Milan", "Milan.csproj")))
                return dir.FullName;
        }
        return null;
    }

    public static string FeedFolder(string repository) => Path.Combine(repository, "artifacts", "feed");

    /// <summary>The package in the feed, or null when there is none.</summary>
    public static FileInfo? Package(string repository)
    {
        string feed = FeedFolder(repository);
        return Directory.Exists(feed)
            ? new DirectoryInfo(feed).EnumerateFiles($"{PackageId}.*.nupkg")
                .Where(f => char.IsDigit(f.Name[PackageId.Length + 1]))
                .OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
            : null;
    }

    /// <summary>Packs the library into the feed unless the package there is current; returns the package.</summary>
    public static FileInfo Ensure(string repository, bool force, Action<string> report)
    {
        var package = Package(repository);
        var newestInput = Inputs(repository).Max(f => f.LastWriteTimeUtc);
        if (!force && package is not null && package.LastWriteTimeUtc >= newestInput) return package;

        report($"packing src/Milan into {Path.GetRelativePath(repository, FeedFolder(repository))} …");
        string suffix = string.Create(CultureInfo.InvariantCulture, $"local.{DateTime.UtcNow:yyyyMMddHHmmss}.h")
                        + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repository)))[..10];
        Pack(repository, suffix);
        package = new FileInfo(Path.Combine(FeedFolder(repository), $"{PackageId}.{PackagePrefix(repository)}-{suffix}.nupkg"));
        if (!package.Exists) throw new InvalidOperationException($"dotnet pack wrote no {package.Name} into {FeedFolder(repository)}");
        foreach (var older in new DirectoryInfo(FeedFolder(repository)).EnumerateFiles($"{PackageId}.*.nupkg"))
        {
            if (older.Name != package.Name) older.Delete();
        }
        return package;
    }

    /// <summary>What notebooks write to get the newest package of this feed: <c>Milan, 0.1.0-*</c>.</summary>
    public static string NotebookReference(string repository) => $"{PackageId}, {PackagePrefix(repository)}-*";

    /// <summary>The version before the suffix: VersionPrefix of Directory.Build.props.</summary>
    private static string PackagePrefix(string repository)
    {
        string props = File.ReadAllText(Path.Combine(repository, "Directory.Build.props"));
        int start = props.IndexOf("<VersionPrefix>", StringComparison.Ordinal) + "<VersionPrefix>".Length;
        return props[start..props.IndexOf("</VersionPrefix>", start, StringComparison.Ordinal)];
    }

    /// <summary>What the package is built from: the library's sources and the repository-wide build files.</summary>
    private static IEnumerable<FileInfo> Inputs(string repository)
    {
        var library = new DirectoryInfo(Path.Combine(repository, "src", "Milan"));
        foreach (var file in library.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(library.FullName, file.FullName);
            if (!relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                yield return file;
        }
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            var file = new FileInfo(Path.Combine(repository, name));
            if (file.Exists) yield return file;
        }
    }

    private static void Pack(string repository, string versionSuffix)
    {
        var start = new ProcessStartInfo(DotNetHost.Path)
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pack", Path.Combine("src", "Milan", "Milan.csproj"), "-c", "Release", "-o", FeedFolder(repository), $"-p:VersionSuffix={versionSuffix}", "-nologo", "-v:q" })
            start.ArgumentList.Add(argument);
        DotNetHost.CleanEnvironment(start.Environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {DotNetHost.Path}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet pack of src/Milan failed (exit code {process.ExitCode}):\n{output.Result}{error.Result}");
    }
}
