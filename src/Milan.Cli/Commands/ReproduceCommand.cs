using System.CommandLine;
using System.Globalization;
using Milan.Cli.Notebooks;
using Milan.Reproduction;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>milan reproduce [--profile tiny|demo|paper] [--device] [--data-dir] [--models-dir] [--results-dir]
/// [--force step]... [--cell-timeout S]</c>: runs the reproduction steps in order (each skipping work
/// whose outputs exist) and writes &lt;results&gt;/report/index.html (docs/reproduce.md). Exit code 0
/// when every step succeeded, 2 when a step failed, 1 for usage errors.
/// </summary>
public static class ReproduceCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "tiny (seconds, for tests) | demo (minutes on a CPU) | paper (real data and a GPU)", DefaultValueFactory = _ => "demo" };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var dataDir = DataCommand.DataDirOption();
        var modelsDir = new Option<string?>("--models-dir") { Description = "Models root (default: $MILAN_MODELS_DIR, else models/ in the repository)." };
        var resultsDir = new Option<string?>("--results-dir") { Description = "Results root (default: $MILAN_RESULTS_DIR, else results/ in the repository)." };
        var force = new Option<string[]>("--force") { Description = "Redo this step even when its outputs exist (a step name, or 'all'). Repeatable." };
        var cellTimeout = new Option<double>("--cell-timeout") { Description = "Seconds a notebook cell may run (0: no limit).", DefaultValueFactory = _ => 1800 };
        var keys = new Option<string?>("--keys") { Description = "Paper profile: the MILANNOTATIONS keys (a key expression; default all seven annotated keys)." };
        var trials = new Option<int?>("--trials") { Description = "Paper profile: MILAN trainings per table row (default 5, as the paper)." };
        var maxEpochs = new Option<int?>("--max-epochs") { Description = "Paper profile: most epochs of each MILAN training (default 100, as the reference)." };
        var command = new Command("reproduce",
            "Build the world corpus, execute the notebooks and write <results>/report/index.html; finished work is skipped (docs/reproduce.md). "
            + "--profile paper runs the paper's protocols on downloaded data instead.");
        foreach (var option in new Option[] { profile, device, dataDir, modelsDir, resultsDir, force, cellTimeout, keys, trials, maxEpochs }) command.Options.Add(option);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var chosen = Profile.Parse(parse.GetValue(profile));
            var roots = ReproductionRoots.Resolve(parse.GetValue(dataDir), parse.GetValue(modelsDir), parse.GetValue(resultsDir));
            if (chosen != Profile.Paper && (parse.GetValue(keys) ?? (object?)parse.GetValue(trials) ?? parse.GetValue(maxEpochs)) is not null)
                throw new MilanInputException("--keys, --trials and --max-epochs apply to --profile paper only");
            var paper = PaperSettings(parse.GetValue(keys), parse.GetValue(trials), parse.GetValue(maxEpochs));
            // The paper profile checks its inputs before anything else (the device included) and lists what is missing.
            if (chosen == Profile.Paper) PaperInputs.EnsurePresent(roots, paper);
            var chosenDevice = DeviceChoice.Parse(parse.GetValue(device));
            var steps = ReproductionSteps.For(chosen, paper: paper);
            var runner = new JupyterNotebookRunner(parse.GetValue(cellTimeout), message => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]"));
            AnsiConsole.MarkupLineInterpolated($"milan reproduce: profile [bold]{chosen.Name}[/], steps {string.Join(", ", steps.Select(s => s.Name))}");
            AnsiConsole.MarkupLineInterpolated($"[grey]{ReproductionReport.LabelFor(chosen)}[/]");

            // Steps run one by one, each under its own progress display, so nbclient's own output
            // (notebook cells) and the step lines are not drawn over by a live progress bar.
            var wrapped = steps.Select(step => step with
            {
                Run = context => step.Name == "notebooks"
                    ? step.Run(context with { Progress = new LineReporter() })
                    : ConsoleProgress.Run(progress => step.Run(context with { Progress = progress })),
            }).ToList();
            var context = new ReproductionContext(roots, chosen, chosenDevice, null,
                new HashSet<string>(parse.GetValue(force) ?? [], StringComparer.Ordinal), runner, paper);
            var run = Reproducer.Run(wrapped, context, record =>
            {
                if (record.Status == "running") AnsiConsole.MarkupLineInterpolated($"[bold]step {record.Name}[/]: {record.Description}");
                else
                    AnsiConsole.MarkupLine($"[bold]step {Markup.Escape(record.Name)}[/]: [{(record.Succeeded ? "green" : "red")}]{Markup.Escape(record.Status)}[/] in "
                        + Seconds(record.WallSeconds) + Markup.Escape(record.Message is null ? "" : " - " + record.Message));
            });

            var table = new Table().AddColumns("step", "status", "wall time", "message");
            foreach (var step in run.Steps)
                table.AddRow(Markup.Escape(step.Name), step.Succeeded ? $"[green]{step.Status}[/]" : $"[red]{Markup.Escape(step.Status)}[/]", Seconds(step.WallSeconds), Markup.Escape(step.Message ?? ""));
            table.AddRow("[bold]all[/]", "", Seconds(run.WallSeconds), "");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated($"report: [green]{run.ReportPath}[/]");
            return run.ExitCode;
        }));
        return command;
    }

    private static PaperSettings PaperSettings(string? keys, int? trials, int? maxEpochs)
    {
        var settings = new PaperSettings();
        if (trials is < 1) throw new MilanInputException($"--trials {trials}: expected at least 1");
        if (maxEpochs is < 1) throw new MilanInputException($"--max-epochs {maxEpochs}: expected at least 1");
        return settings with
        {
            Keys = keys is null ? settings.Keys : [keys],
            Tables = settings.Tables with
            {
                Seeds = trials is { } n ? Enumerable.Range(0, n).ToList() : settings.Tables.Seeds,
                MaxEpochs = maxEpochs ?? settings.Tables.MaxEpochs,
            },
        };
    }

    private static string Seconds(double s) => s.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Progress of the notebooks step as plain lines (nbclient writes to the console too).</summary>
    private sealed class LineReporter : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value)
        {
            if (value.Detail is not null) AnsiConsole.MarkupLineInterpolated($"notebook {value.Done + 1}/{value.Total}: [bold]{value.Detail}[/]");
        }
    }
}
