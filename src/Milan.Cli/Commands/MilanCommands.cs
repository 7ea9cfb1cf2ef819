using System.CommandLine;

namespace Milan.Cli.Commands;

/// <summary>The verbs of the <c>milan</c> command, one file each in this folder.</summary>
public static class MilanCommands
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "milan: natural-language descriptions of vision-model units (MILAN, ICLR 2022), headless.")
        {
            HelpName = "milan", // not the assembly's name, Milan.Cli (an assembly named milan would clash with Milan)
        };
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(NotebookCommand.Create());
        root.Subcommands.Add(ExemplarsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(DescribeCommand.Create());
        root.Subcommands.Add(WorldCommand.Create());
        root.Subcommands.Add(AnnotateCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        root.Subcommands.Add(SubjectCommand.Create());
        root.Subcommands.Add(MilannotationsCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ReproduceCommand.Create());
        root.Subcommands.Add(AtlasCommand.Create());
        return root;
    }
}
