using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Packages;

/// <summary>
/// Packages from local folder feeds: a package re-packed under the same version replaces NuGet's
/// extracted copy, and the Milan library reaches a notebook from the repository's feed through
/// `milan notebook run`, with TorchSharp and SkiaSharp natives working through it.
/// </summary>
public sealed class LocalFeedTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_package_repacked_with_the_same_version_is_extracted_again()
    {
        // A private package folder and restore cache, so that the probe package stays out of the machine's.
        var environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = _folder.File("packages"),
            ["MILAN_NOTEBOOK_CACHE"] = _folder.File("cache"),
        };
        string feed = _folder.File("feed");
        Directory.CreateDirectory(feed);
        string nupkg = Path.Combine(feed, "Milan.Notebooks.Probe.1.0.0.nupkg");
        string notebook = NotebookFile.Write(_folder.File("probe.ipynb"), Notebook(
            Code($"#i \"nuget: {feed}\"\n#r \"nuget: Milan.Notebooks.Probe, 1.0.0\"", "f1")));
        string extracted = Path.Combine(_folder.File("packages"), "milan.notebooks.probe", "1.0.0");

        WriteProbePackage(nupkg, marker: "first");
        var first = NotebookRun.Execute(notebook, environment: environment);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(File.Exists(Path.Combine(extracted, "content", "first.txt")));

        WriteProbePackage(nupkg, marker: "second");
        var second = NotebookRun.Execute(notebook, environment: environment);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("differs from its local feed", second.Log);
        Assert.True(File.Exists(Path.Combine(extracted, "content", "second.txt")));
        Assert.False(File.Exists(Path.Combine(extracted, "content", "first.txt")));
        DebianNotebookTools.AssertValidAndConvertible(first.OutputPath);
        DebianNotebookTools.AssertValidAndConvertible(second.OutputPath);
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(extracted, ".nupkg.metadata")))!;
        Assert.Equal(Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(nupkg))), (string?)metadata["contentHash"]);
    }

    [Fact]
    public void The_milan_library_reaches_a_notebook_from_the_repositorys_local_feed()
    {
        var feed = ProcessResult.Run(Tools.DotNet, [Tools.CliAssembly, "notebook", "feed"]);
        Assert.True(feed.ExitCode == 0, feed.Output);
        string reference = feed.Output.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("#r \"nuget: Milan, "));
        reference = reference[reference.IndexOf("#r", StringComparison.Ordinal)..];
        string version = reference["#r \"nuget: Milan, ".Length..^1];

        // The repository's notebooks/NuGet.config, unchanged, in a copy of the layout it expects
        // (notebooks/ next to artifacts/feed), so that its relative source is what is tested.
        string notebooks = _folder.File("notebooks");
        Directory.CreateDirectory(notebooks);
        File.Copy(Path.Combine(Tools.Repository, "notebooks", "NuGet.config"), Path.Combine(notebooks, "NuGet.config"));
        Directory.CreateDirectory(_folder.File("artifacts"));
        Directory.CreateSymbolicLink(_folder.File("artifacts/feed"), Path.Combine(Tools.Repository, "artifacts", "feed"));
        string notebook = NotebookFile.Write(Path.Combine(notebooks, "milan.ipynb"), Notebook(
            Code($"{reference}\n#r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"\n#r \"nuget: SkiaSharp.NativeAssets.Linux.NoDependencies, 3.119.4\"", "m1"),
            Code("typeof(Milan.MilanInputException).Assembly.Location", "m2"),
            Code("new Milan.WorkProgress(\"stage\", 1, 2).Total", "m3"),
            Code("TorchSharp.torch.ones(2).sum().item<float>()", "m4"),
            Code("new SkiaSharp.SKBitmap(3, 2).Width", "m5")));

        var run = ProcessResult.Run(Tools.DotNet, [Tools.CliAssembly, "notebook", "run", notebook, "--cell-timeout", "300"]);

        Assert.True(run.ExitCode == 0, run.Output);
        var executed = (JsonObject)JsonNode.Parse(File.ReadAllText(notebook))!; // written in place
        string Value(string id) => NotebookRun.Text(executed["cells"]!.AsArray().Single(c => (string?)c!["id"] == id)!["outputs"]![0]!["data"]!["text/plain"]);
        Assert.Equal(Path.Combine(Tools.NuGetPackages, "milan", version, "lib", "net10.0", "Milan.dll"), Value("m2"));
        Assert.Equal("2", Value("m3"));
        Assert.Equal("2", Value("m4"));
        Assert.Equal("3", Value("m5"));
        DebianNotebookTools.AssertValidAndConvertible(notebook);
    }

    /// <summary>A minimal package: a nuspec, one assembly, and a content file named after the marker.</summary>
    private static void WriteProbePackage(string path, string marker)
    {
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry("Milan.Notebooks.Probe.nuspec").Open()))
        {
            writer.Write("""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>Milan.Notebooks.Probe</id>
                    <version>1.0.0</version>
                    <authors>tests</authors>
                    <description>A package for the notebook executor's tests.</description>
                  </metadata>
                </package>
                """);
        }
        zip.CreateEntryFromFile(typeof(LocalFeedTests).Assembly.Location, "lib/net10.0/Milan.Notebooks.Probe.dll");
        using (var writer = new StreamWriter(zip.CreateEntry($"content/{marker}.txt").Open()))
            writer.Write(marker);
    }

    public void Dispose() => _folder.Dispose();
}
