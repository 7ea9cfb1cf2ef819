using System.Text.RegularExpressions;

namespace Milan.Tests;

/// <summary>
/// The library's folders follow the order of ../shared/ARCHITECTURE.md: shared folders use only each
/// other; a stage of the data flow uses the shared folders and the stages above it, never a later one.
/// An arrow is a <c>using Milan.X</c> directive or a qualified name <c>Milan.X.…</c> anywhere in a file.
/// </summary>
public sealed partial class StageOrderTests
{
    private static readonly string[] Shared = ["IO", "Torch", "Stats", "Datasets", "Language", "Visualization"];

    private static readonly string[] Stages =
        ["Models", "World", "Exemplars", "Annotations", "Corpus", "Captioning", "Evaluation", "Experiments", "Reproduction"];

    [GeneratedRegex(@"\bMilan\.(\w+)")]
    private static partial Regex QualifiedName();

    /// <summary>Every arrow from <paramref name="folder"/> that the order forbids, as "From -> To (file)".</summary>
    private static IEnumerable<string> Violations(string folder, string file, string text)
    {
        foreach (var target in QualifiedName().Matches(text).Select(m => m.Groups[1].Value).Distinct())
        {
            if (target == folder || !IsFolder(target)) continue;
            if (!MayUse(folder, target)) yield return $"{folder} -> {target} ({file})";
        }
    }

    private static bool IsFolder(string name) => Shared.Contains(name) || Stages.Contains(name);

    private static bool MayUse(string from, string to)
    {
        if (Shared.Contains(to)) return true;
        if (Shared.Contains(from)) return false;
        return Array.IndexOf(Stages, to) < Array.IndexOf(Stages, from);
    }

    [Fact]
    public void The_folders_are_exactly_the_ones_the_architecture_lists()
    {
        var folders = Directory.GetDirectories(LibraryFolder()).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).Order().ToArray();
        Assert.Equal(Shared.Concat(Stages).Order().ToArray(), folders);
    }

    [Fact]
    public void No_folder_uses_a_later_stage()
    {
        var violations = new List<string>();
        foreach (var folder in Shared.Concat(Stages))
        {
            var path = Path.Combine(LibraryFolder(), folder);
            foreach (var file in Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories))
                violations.AddRange(Violations(folder, Path.GetRelativePath(LibraryFolder(), file), File.ReadAllText(file)));
        }
        Assert.Empty(violations);
    }

    [Fact]
    public void A_backward_arrow_and_a_shared_folder_using_a_stage_are_found()
    {
        Assert.Equal(["Models -> Captioning (x.cs)"], Violations("Models", "x.cs", "using Milan.Captioning;\nusing Milan.Torch;"));
        Assert.Equal(["Torch -> Models (y.cs)"], Violations("Torch", "y.cs", "var a = new Milan.Models.ResNet();\nusing Milan.IO;"));
        Assert.Empty(Violations("Experiments", "z.cs", "using Milan.Captioning;\nusing Milan.World;\nMilan.Profile p;"));
    }

    private static string LibraryFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Milan.Research.sln"))) return Path.Combine(dir.FullName, "src", "Milan");
        throw new InvalidOperationException("Milan.Research.sln not found above " + AppContext.BaseDirectory);
    }
}
