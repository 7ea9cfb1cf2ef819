using Milan.Cli.Commands;
using Spectre.Console;

namespace Milan.Tests.Support;

/// <summary>Runs the `milan` command tree in-process, as a user would, capturing everything it prints.</summary>
public static class MilanCli
{
    public static (int Code, string Output) Run(params string[] args)
    {
        var previous = AnsiConsole.Console;
        var writer = new StringWriter();
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        AnsiConsole.Console.Profile.Width = 10_000;   // one message, one line
        try
        {
            return (MilanCommands.Build().Parse(args).Invoke(), writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }
}
