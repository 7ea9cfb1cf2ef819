using Milan.Cli.Commands;
using Spectre.Console;

namespace Milan.Tests.Support;

/// <summary>
/// Runs the `milan` command tree in-process, as a user would, capturing everything it prints
/// (Spectre's console and plain Console.Out/Error, where System.CommandLine writes parse errors).
/// </summary>
public static class MilanCli
{
    public static (int Code, string Output) Run(params string[] args)
    {
        var previousConsole = AnsiConsole.Console;
        var previousOut = Console.Out;
        var previousError = Console.Error;
        var writer = new StringWriter();
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        AnsiConsole.Console.Profile.Width = 10_000;   // one message, one line
        Console.SetOut(writer);
        Console.SetError(writer);
        try
        {
            return (MilanCommands.Build().Parse(args).Invoke(), writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previousConsole;
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
