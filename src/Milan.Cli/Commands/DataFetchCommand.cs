using System.CommandLine;
using Milan.Annotations;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary><c>milan data fetch &lt;key&gt;</c>: download and install one annotated MILANNOTATIONS key.</summary>
public static class DataFetchCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = $"Annotated key: {string.Join(", ", DatasetKeys.Annotated)}." };
        var dataDir = DataCommand.DataDirOption();
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = $"Archive host folder (default: ${DatasetKeys.BaseUrlVariable}, else {DatasetKeys.DefaultBaseUrl}).",
        };
        var sha256 = new Option<string?>("--sha256") { Description = "Expected SHA-256 of the archive (the reference publishes none)." };
        var archive = new Option<string?>("--archive") { Description = "Install from a local copy of the zip instead of downloading." };
        var force = new Option<bool>("--force") { Description = "Replace the dataset folder if it exists." };
        var keep = new Option<bool>("--keep-archive") { Description = "Keep the downloaded zip under <data>/.downloads." };

        var command = new Command("fetch", "Download a key's archive (resumable), check it, and extract it into <data>/<arch>/<dataset>.");
        command.Arguments.Add(key);
        foreach (var option in new Option[] { dataDir, baseUrl, sha256, archive, force, keep }) command.Options.Add(option);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            var options = new FetchOptions
            {
                DataRoot = parseResult.GetValue(dataDir),
                BaseUrl = parseResult.GetValue(baseUrl),
                Sha256 = parseResult.GetValue(sha256),
                Archive = parseResult.GetValue(archive),
                Force = parseResult.GetValue(force),
                KeepArchive = parseResult.GetValue(keep),
            };
            string name = parseResult.GetValue(key)!;
            var result = ConsoleProgress.Run(progress => DatasetFetch.FetchAsync(name, options, progress).GetAwaiter().GetResult());
            if (result.AlreadyPresent)
            {
                AnsiConsole.MarkupLineInterpolated($"{result.Key.Name}: already present at {result.Folder} (--force replaces it)");
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"{result.Key.Name}: {result.Files} files in {result.Folder}");
            AnsiConsole.MarkupLineInterpolated($"archive: {result.ArchiveBytes:N0} bytes, sha256 {result.Sha256}{(result.Archive is null ? "" : $" (kept at {result.Archive})")}");
            return 0;
        }));
        return command;
    }
}
