using Spectre.Console;

namespace Milan.Cli;

/// <summary>
/// Runs a verb's body: input errors become one red line and exit code 1; anything else is a bug and
/// shows its stack trace (exit code 1 as well). Cancellation (Ctrl+C) exits with 130.
/// </summary>
public static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (MilanInputException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (Exception e)
        {
            AnsiConsole.MarkupLine("[red]internal error[/] (please report it):");
            AnsiConsole.WriteException(e, ExceptionFormats.ShortenPaths);
            return 1;
        }
    }
}
