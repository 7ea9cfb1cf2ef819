using System.CommandLine;
using Milan.Cli.Notebooks;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>milan notebook run &lt;notebook.ipynb|folder&gt; [--output-path &lt;file|dir&gt;] [--cell-timeout S]
/// [--stop-on-error] [--input key=value]...</c> and <c>milan notebook feed</c> (docs/notebooks.md).
/// Exit code of run: 0 no cell failed, 2 a cell failed or timed out, 1 usage error, malformed
/// notebook, or Jupyter/kernel failure.
/// </summary>
public static class NotebookCommand
{
    public static Command Create()
    {
        var command = new Command("notebook", "Run the C# notebooks headless through Jupyter and the .NET Interactive kernel, as VS Code does (docs/notebooks.md).");
        command.Subcommands.Add(CreateRun());
        command.Subcommands.Add(CreateFeed());
        return command;
    }

    private static Command CreateRun()
    {
        var path = new Argument<string>("notebook")
        {
            Description = "A notebook (.ipynb), or a folder whose notebooks run one after the other in name order.",
        };
        var outputPath = new Option<string?>("--output-path")
        {
            Description = "Where the executed notebook goes: a .ipynb file (one notebook) or a folder. Default: in place.",
        };
        var cellTimeout = new Option<double>("--cell-timeout")
        {
            Description = "Seconds a cell may run before the run stops (0: no limit).",
            DefaultValueFactory = _ => 1800,
        };
        var stopOnError = new Option<bool>("--stop-on-error")
        {
            Description = "Do not run the cells after the first failing one.",
        };
        var input = new Option<string[]>("--input")
        {
            Description = "A parameter key=value; the notebook reads the environment variable MILAN_INPUT_<KEY>. Repeatable.",
        };
        var command = new Command("run", "Run notebooks and write the executed notebooks (nbformat 4.5).");
        command.Arguments.Add(path);
        command.Options.Add(outputPath);
        command.Options.Add(cellTimeout);
        command.Options.Add(stopOnError);
        command.Options.Add(input);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            var plan = NotebookRunPlan.Create(parseResult.GetValue(path)!, parseResult.GetValue(outputPath),
                parseResult.GetValue(cellTimeout), parseResult.GetValue(input) ?? []);
            return Run(plan, parseResult.GetValue(stopOnError));
        }));
        return command;
    }

    private static Command CreateFeed()
    {
        var force = new Option<bool>("--force") { Description = "Pack even when the package in the feed is current." };
        var command = new Command("feed",
            "Pack the Milan library into the local feed artifacts/feed that notebooks restore it from, and drop NuGet's stale copy.");
        command.Options.Add(force);
        command.SetAction(parseResult => CommandRunner.Run(() =>
        {
            string repository = LocalFeed.FindRepository(Environment.CurrentDirectory)
                ?? LocalFeed.FindRepository(AppContext.BaseDirectory)
                ?? throw new MilanInputException("not inside the Milan.Research repository: no Milan.Research.sln above the current folder");
            var package = LocalFeed.Ensure(repository, parseResult.GetValue(force), Report);
            AnsiConsole.MarkupLineInterpolated($"feed: [bold]{LocalFeed.FeedFolder(repository)}[/]");
            AnsiConsole.MarkupLineInterpolated($"package: {package.Name}; in a notebook: #r \"nuget: {LocalFeed.NotebookReference(repository)}\"");
            return 0;
        }));
        return command;
    }

    private static int Run(NotebookRunPlan plan, bool stopOnError)
    {
        string? repository = LocalFeed.FindRepository(plan.Notebooks[0].Source) ?? LocalFeed.FindRepository(AppContext.BaseDirectory);
        if (repository is not null) LocalFeed.Ensure(repository, force: false, Report);

        var summaries = new List<RunSummary>();
        foreach (var (source, output) in plan.Notebooks)
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]{Path.GetRelativePath(Environment.CurrentDirectory, source)}[/]");
            var summary = JupyterNotebook.Run(source, output, plan.CellTimeoutSeconds, stopOnError, plan.Inputs);
            if (summary.Message is not null) AnsiConsole.MarkupLineInterpolated($"[red]{Path.GetFileName(source)}: {summary.Message}[/]");
            summaries.Add(summary);
        }

        var table = new Table().AddColumns("notebook", "cells", "errors", "time", "status", "written to");
        foreach (var s in summaries)
        {
            string status = s.Status == "ok" ? "[green]ok[/]" : $"[red]{Markup.Escape(s.Status)}[/]";
            table.AddRow(Markup.Escape(Path.GetFileName(s.Notebook)), $"{s.ExecutedCells}/{s.CodeCells}", s.FailedCells.ToString(),
                $"{s.Seconds:0.0} s", status, Markup.Escape(s.Output is null ? "-" : Path.GetRelativePath(Environment.CurrentDirectory, s.Output)));
        }
        AnsiConsole.Write(table);
        return summaries.Any(s => s.ExitCode == 1) ? 1 : summaries.Any(s => s.ExitCode == 2) ? 2 : 0;
    }

    private static void Report(string message) => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]");
}
