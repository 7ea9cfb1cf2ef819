using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security;
using System.Text;
using Milan.Notebooks.Protocol;

namespace Milan.Notebooks.Packages;

/// <summary>
/// Restores a set of packages the way .NET Interactive does (reference/notebooks-spec.md 5): a
/// generated SDK project for this runtime's target framework and runtime identifier, restored and
/// resolved by <c>dotnet msbuild -restore</c> against the NuGet configuration that applies to the
/// notebook's folder plus the <c>#i</c> sources. Results are cached by a hash of the inputs; a
/// cached result is reused while all its files exist. The generated project imports
/// Restore/NotebookRestore.targets, which also applies the repository's GLIBCXX fix to TorchSharp.
/// </summary>
public sealed class PackageRestorer(string workingDirectory, string cacheRoot, Action<string> log)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Cached restores not used for this long are deleted (each is a small project folder).</summary>
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromDays(30);

    private bool _pruned;

    /// <summary>Where generated projects and cached resolutions go: $MILAN_NOTEBOOK_CACHE, else ~/.cache/milan-notebooks.</summary>
    public static string DefaultCacheRoot()
    {
        string? explicitRoot = Environment.GetEnvironmentVariable("MILAN_NOTEBOOK_CACHE");
        if (!string.IsNullOrEmpty(explicitRoot)) return Path.GetFullPath(explicitRoot);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string cache = !string.IsNullOrEmpty(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "milan-notebooks");
    }

    public static string TargetFramework => $"net{Environment.Version.Major}.0";

    private static string TargetsFile => Path.Combine(AppContext.BaseDirectory, "Restore", "NotebookRestore.targets");

    public RestoreResult Restore(IReadOnlyCollection<PackageReference> packages, IReadOnlyCollection<string> sources)
    {
        var absoluteSources = sources.Select(AbsoluteSource).ToArray();
        bool floating = packages.Any(p => p.IsFloating);
        var ordered = packages.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToArray();
        string projectText = ProjectText(ordered, absoluteSources, workingDirectory);
        string directory = Path.Combine(cacheRoot, "restores", Key(ProjectText(ordered, absoluteSources, null) + ConfigFiles()));
        string resolutionFile = Path.Combine(directory, "resolution.txt");

        PruneCache();
        if (!floating && File.Exists(resolutionFile))
        {
            var cached = RestoreResult.Parse(File.ReadAllLines(resolutionFile));
            if (cached.FilesExist() && Purge(cached) == 0)
            {
                Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow); // in use: keep it
                return cached;
            }
        }

        Directory.CreateDirectory(directory);
        string project = Path.Combine(directory, "restore.csproj");
        File.WriteAllText(project, projectText);
        var result = Run(project, resolutionFile, force: false);
        if (Purge(result) > 0) result = Run(project, resolutionFile, force: true);
        return result;
    }

    private void PruneCache()
    {
        if (_pruned) return;
        _pruned = true;
        var restores = new DirectoryInfo(Path.Combine(cacheRoot, "restores"));
        if (!restores.Exists) return;
        foreach (var old in restores.EnumerateDirectories().Where(d => DateTime.UtcNow - d.LastWriteTimeUtc > CacheLifetime))
        {
            try
            {
                old.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another executor may be using it; try again next time
            }
        }
    }

    private int Purge(RestoreResult result)
    {
        var purged = LocalFeedCopies.PurgeStale(result);
        foreach (var package in purged)
            log($"package {package}: the copy in the NuGet package folder differs from its local feed; extracting it again");
        return purged.Count;
    }

    private string AbsoluteSource(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && !uri.IsFile) return source;
        string path = Path.GetFullPath(uri?.IsFile == true ? uri.LocalPath : source, workingDirectory);
        if (!Directory.Exists(path))
            throw new RestoreException($"package source '{source}' does not exist (looked for the folder {path})");
        return path;
    }

    /// <summary>
    /// The cache key: a hash of everything that decides the result. The notebook's folder enters
    /// only through the NuGet.config files that apply to it, so that notebooks in different
    /// folders with the same packages share one restore.
    /// </summary>
    private static string Key(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text + File.ReadAllText(TargetsFile))))[..20];

    /// <summary>Paths and contents of the NuGet.config files from the notebook's folder up.</summary>
    private string ConfigFiles()
    {
        var text = new StringBuilder();
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var name in new[] { "NuGet.Config", "NuGet.config", "nuget.config" })
            {
                string file = Path.Combine(dir.FullName, name);
                if (File.Exists(file)) text.Append(file).Append('\n').Append(File.ReadAllText(file)).Append('\n');
            }
        }
        return text.ToString();
    }

    private static string ProjectText(IEnumerable<PackageReference> packages, IReadOnlyCollection<string> sources, string? configRoot)
    {
        static string X(string s) => SecurityElement.Escape(s);
        var text = new StringBuilder();
        text.AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">");
        text.AppendLine("  <!-- Generated by the Milan notebook executor to restore a notebook's #r \"nuget:\" packages. -->");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine($"    <TargetFramework>{TargetFramework}</TargetFramework>");
        text.AppendLine($"    <RuntimeIdentifier>{X(RuntimeInformation.RuntimeIdentifier)}</RuntimeIdentifier>");
        text.AppendLine("    <SelfContained>false</SelfContained>");
        text.AppendLine("    <EnableDefaultItems>false</EnableDefaultItems>");
        text.AppendLine("    <ImplicitUsings>disable</ImplicitUsings>");
        text.AppendLine("    <IsPackable>false</IsPackable>");
        text.AppendLine("    <CopyLocalLockFileAssemblies>true</CopyLocalLockFileAssemblies>");
        text.AppendLine("    <NuGetAudit>false</NuGetAudit>");
        text.AppendLine("    <NoWarn>$(NoWarn);NU1603;NU1701</NoWarn>");
        if (configRoot is not null)
            text.AppendLine($"    <RestoreRootConfigDirectory>{X(configRoot)}</RestoreRootConfigDirectory>");
        if (sources.Count > 0)
            text.AppendLine($"    <RestoreAdditionalProjectSources>{X(string.Join(';', sources))}</RestoreAdditionalProjectSources>");
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine("  <ItemGroup>");
        foreach (var p in packages)
            text.AppendLine($"    <PackageReference Include=\"{X(p.Name)}\" Version=\"{X(p.Version)}\" />");
        text.AppendLine("  </ItemGroup>");
        text.AppendLine($"  <Import Project=\"{X(TargetsFile)}\" />");
        text.AppendLine("</Project>");
        return text.ToString();
    }

    private RestoreResult Run(string project, string resolutionFile, bool force)
    {
        string temporary = resolutionFile + ".tmp";
        var start = new ProcessStartInfo(DotNetHost.Path)
        {
            WorkingDirectory = Path.GetDirectoryName(project)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "msbuild", project, "-restore", "-t:MilanNotebookResolve", "-nologo", "-v:quiet", "-nodeReuse:false",
            $"-p:MilanResolutionFile={temporary}", "-p:ImportDirectoryBuildProps=false",
            "-p:ImportDirectoryBuildTargets=false", "-p:ImportDirectoryPackagesProps=false",
            "-p:ManagePackageVersionsCentrally=false",
        })
            start.ArgumentList.Add(argument);
        if (force) start.ArgumentList.Add("-p:RestoreForce=true");
        DotNetHost.CleanEnvironment(start.Environment);

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new RestoreException($"could not start {DotNetHost.Path}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RestoreTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new RestoreException($"package restore did not finish within {RestoreTimeout.TotalMinutes} minutes ({project})");
        }
        string text = output.Result + error.Result;
        if (process.ExitCode != 0 || !File.Exists(temporary))
        {
            var errors = text.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().ToArray();
            string hint = errors.Any(e => e.Contains("NU1301", StringComparison.Ordinal) && e.Contains("local source", StringComparison.Ordinal))
                ? "\n(a local package source is missing; the Milan library's feed, artifacts/feed, is made by `milan notebook feed`)" : "";
            throw new RestoreException("package restore failed:\n" + string.Join('\n', errors.Length > 0 ? errors : [text.Trim()]) + hint);
        }
        File.Move(temporary, resolutionFile, overwrite: true);
        log($"restored packages in {stopwatch.Elapsed.TotalSeconds:0.0} s ({project})");
        return RestoreResult.Parse(File.ReadAllLines(resolutionFile));
    }
}
