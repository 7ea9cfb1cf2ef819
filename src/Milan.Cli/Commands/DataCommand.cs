using System.CommandLine;

namespace Milan.Cli.Commands;

/// <summary><c>milan data</c>: the MILANNOTATIONS verbs (fetch, info, keys) and the Debian photo set (photos).</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "MILANNOTATIONS and other exemplar datasets: download, inspect, list keys.");
        command.Subcommands.Add(DataFetchCommand.Create());
        command.Subcommands.Add(DataInfoCommand.Create());
        command.Subcommands.Add(DataKeysCommand.Create());
        command.Subcommands.Add(DataPhotosCommand.Create());
        return command;
    }

    /// <summary>The --data-dir option shared by the data verbs (default MILAN_DATA_DIR).</summary>
    internal static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = "Data root (default: $MILAN_DATA_DIR, else data/ in the repository).",
    };
}
