using System.Text.RegularExpressions;
using Milan.Notebooks.Tests.Support;

namespace Milan.Notebooks.Tests.Cli;

/// <summary>
/// `milan notebook feed`: every pack of the library is a new version, named after the time and the
/// clone, and the clone's feed keeps only the newest, so no machine-wide NuGet copy is ever stale.
/// </summary>
public sealed class NotebookFeedTests
{
    private static string[] Packages() =>
        Directory.GetFiles(Path.Combine(Tools.Repository, "artifacts", "feed"), "Milan.*.nupkg").Select(Path.GetFileName).ToArray()!;

    private static ProcessResult Feed() =>
        ProcessResult.Run(Tools.DotNet, [Tools.CliAssembly, "notebook", "feed", "--force"], workingDirectory: Tools.Repository);

    [Fact]
    public void Each_pack_is_a_new_version_of_this_clone_and_replaces_the_previous_one()
    {
        var first = Feed();
        Assert.True(first.ExitCode == 0, first.Output);
        string before = Assert.Single(Packages());
        Thread.Sleep(1100); // versions carry the time to the second

        var second = Feed();

        Assert.True(second.ExitCode == 0, second.Output);
        string after = Assert.Single(Packages());
        Assert.NotEqual(before, after);
        var pattern = new Regex(@"^Milan\.0\.1\.0-local\.\d{14}\.h(?<clone>[0-9a-f]{10})\.nupkg$");
        Assert.Equal(pattern.Match(before).Groups["clone"].Value, pattern.Match(after).Groups["clone"].Value);
        Assert.Matches(pattern, after);
        Assert.Contains("#r \"nuget: Milan, 0.1.0-*\"", Regex.Replace(second.Output, @"\s+", " "));
    }
}
