using System.CommandLine;
using Milan.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Milan.Tests.Support;

/// <summary>
/// Runs the <c>milan</c> command tree in this process, as a user would, and returns its exit code and
/// everything it printed: System.CommandLine's own output (help, parse errors), then what the verb
/// wrote through Spectre.Console (captured by a <see cref="TestConsole"/>: no colours, not interactive,
/// so progress is plain lines).
/// </summary>
public static class MilanCli
{
    public static (int Code, string Output) Run(params string[] args)
    {
        var previous = AnsiConsole.Console;
        using var console = new TestConsole().Width(10_000);   // one message, one line
        var commandLine = new StringWriter();
        AnsiConsole.Console = console;
        try
        {
            int code = MilanCommands.Build().Parse(args).Invoke(new InvocationConfiguration { Output = commandLine, Error = commandLine });
            return (code, commandLine + console.Output);
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }
}
