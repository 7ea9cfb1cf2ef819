using System.Diagnostics;
using Milan.Notebooks.Protocol;

namespace Milan.Cli.Notebooks;

/// <summary>
/// The local NuGet feed through which notebooks get the Milan library: <c>artifacts/feed</c> in
/// the repository, holding <c>Milan.&lt;version&gt;.nupkg</c> packed from src/Milan, which
/// notebooks reference with <c>#r "nuget: Milan, &lt;version&gt;"</c> (notebooks/NuGet.config
/// names the feed; docs/notebooks.md). The feed is re-packed when any input of the library is
/// newer than the package. Re-packing keeps the version, and NuGet never re-extracts a version it
/// has in its package folder, so the stale copy there is deleted after each pack (the notebook
/// executor also deletes a copy whose hash differs from the feed's, for packs made by hand).
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

    /// <summary>The package version from its file name, e.g. 0.1.0.</summary>
    public static string Version(FileInfo package) => package.Name[(PackageId.Length + 1)..^".nupkg".Length];

    /// <summary>Packs the library into the feed unless the package there is current; returns the package.</summary>
    public static FileInfo Ensure(string repository, bool force, Action<string> report)
    {
        var package = Package(repository);
        var newestInput = Inputs(repository).Max(f => f.LastWriteTimeUtc);
        if (!force && package is not null && package.LastWriteTimeUtc >= newestInput) return package;

        report($"packing src/Milan into {Path.GetRelativePath(repository, FeedFolder(repository))} …");
        Pack(repository);
        package = Package(repository) ?? throw new InvalidOperationException($"dotnet pack wrote no {PackageId} package into {FeedFolder(repository)}");
        string cached = Path.Combine(GlobalPackagesFolder(), PackageId.ToLowerInvariant(), Version(package).ToLowerInvariant());
        if (Directory.Exists(cached))
        {
            Directory.Delete(cached, recursive: true);
            report($"removed the stale copy {cached}");
        }
        return package;
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

    private static void Pack(string repository)
    {
        var start = new ProcessStartInfo(DotNetHost.Path)
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pack", Path.Combine("src", "Milan", "Milan.csproj"), "-c", "Release", "-o", FeedFolder(repository), "-nologo", "-v:q" })
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

    /// <summary>NuGet's package folder: $NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string GlobalPackagesFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return !string.IsNullOrEmpty(configured) ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}
