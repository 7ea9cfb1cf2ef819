using System.CommandLine;
using Milan.Annotations;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary><c>milan data keys</c>: registered keys, groupings and the dataset folders present locally.</summary>
public static class DataKeysCommand
{
    public static Command Create()
    {
        var dataDir = DataCommand.DataDirOption();
        var command = new Command("keys", "List the annotated keys (with their archive addresses), the groupings, and the dataset folders under the data root.");
        command.Options.Add(dataDir);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            string? root = parseResult.GetValue(dataDir);
            var annotated = new Table().AddColumns("annotated key", "archive", "present");
            foreach (var name in DatasetKeys.Annotated)
            {
                var key = DatasetKeys.Get(name, root);
                annotated.AddRow(name, key.ArchiveUrl(DatasetKeys.BaseUrl)!.ToString(), Directory.Exists(key.Folder) ? "yes" : "no");
            }
            AnsiConsole.Write(annotated);
            var groupings = new Table().AddColumns("grouping", "keys (concatenated in this order)");
            foreach (var (name, members) in DatasetKeys.Groupings) groupings.AddRow(name, string.Join(", ", members));
            AnsiConsole.Write(groupings);
            AnsiConsole.MarkupLineInterpolated($"unannotated keys (local exemplars): {string.Join(", ", DatasetKeys.Unannotated)}");
            var local = DatasetKeys.Local(root);
            AnsiConsole.MarkupLineInterpolated($"dataset folders under {Path.GetFullPath(root ?? MilanRoots.Data)}: {(local.Count == 0 ? "none" : string.Join(", ", local.Select(k => k.Name)))}");
            return 0;
        }));
        return command;
    }
}
