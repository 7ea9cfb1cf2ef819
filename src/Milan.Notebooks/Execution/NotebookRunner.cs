using System.Diagnostics;
using System.Text.Json.Nodes;
using Milan.Notebooks.Documents;
using Milan.Notebooks.Kernel.Hosting;
using Milan.Notebooks.Kernel;
using Milan.Notebooks.Packages;
using Milan.Notebooks.Protocol;

namespace Milan.Notebooks.Execution;

/// <summary>
/// Runs the C# cells of one notebook in order, in one script state, with the notebook's folder as
/// working directory, and writes the executed notebook (docs/notebooks.md). Every cell runs even
/// after a failure unless <see cref="RunOptions.StopOnError"/>; a cell that overruns the timeout
/// stops the run. Process-global state is taken over (console, current directory, resolve
/// handlers), so a process runs one notebook.
/// </summary>
public sealed class NotebookRunner(RunOptions options, Action<string> log)
{
    private readonly OutputCollector _collector = new();
    private readonly Dictionary<NotebookCell, List<CellOutput>> _outputs = [];
    private readonly Dictionary<NotebookCell, int> _executionCounts = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Notebook? _notebook;
    private NotebookCell? _running;
    private int _codeCells;
    private int _failedCells;

    /// <summary>
    /// Reads, checks and runs the notebook and writes the result. A malformed notebook throws
    /// <see cref="NotebookFormatException"/> before anything runs or is written.
    /// </summary>
    public RunSummary Run()
    {
        var notebook = NotebookReader.Read(options.NotebookPath);
        var prepared = CellPreparer.PrepareAll(notebook);
        _notebook = notebook;

        string folder = Path.GetDirectoryName(Path.GetFullPath(options.NotebookPath))!;
        Environment.CurrentDirectory = folder;
        NotebookInputs.Publish(options.Inputs);
        KernelHost.Attach(_collector);
        Console.SetOut(new ConsoleCapture(_collector, "stdout"));
        Console.SetError(new ConsoleCapture(_collector, "stderr"));
        Console.SetIn(TextReader.Null);

        var resolver = new PackageAssemblyResolver();
        resolver.Install();
        var packages = new PackageSession(new PackageRestorer(folder, PackageRestorer.DefaultCacheRoot(), log), resolver, log);
        var session = new ScriptSession(folder);
        var watchdog = options.CellTimeout is { } timeout ? new CellWatchdog(timeout, OnTimeout) : null;

        _codeCells = prepared.Count(p => !p.Value.IsEmpty);
        bool stopped = false;
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "code"))
        {
            var code = prepared[cell];
            if (stopped || code.IsEmpty) continue;
            var outputs = new List<CellOutput>();
            _outputs[cell] = outputs;
            _executionCounts[cell] = _executionCounts.Count + 1;
            _collector.Begin(outputs);
            _running = cell;

            var cellClock = Stopwatch.StartNew();
            bool ok = RunCell(cell, code, packages, session, watchdog);
            log($"  {cell.Describe()} [{_executionCounts[cell]}/{_codeCells}] {(ok ? "ok" : "FAILED")} ({cellClock.Elapsed.TotalSeconds:0.00} s)");
            if (!ok)
            {
                _failedCells++;
                stopped = options.StopOnError;
            }
        }
        _running = null;
        return _collector.SealAndRun(() => Finish(_failedCells == 0 ? "ok" : "failed", null));
    }

    private bool RunCell(NotebookCell cell, PreparedCell code, PackageSession packages, ScriptSession session, CellWatchdog? watchdog)
    {
        if (code.Packages.Count > 0 || code.Sources.Count > 0)
        {
            try
            {
                session.AddReferences(packages.Add(code.Packages, code.Sources));
            }
            catch (RestoreException e)
            {
                _collector.AddError(ErrorOutput.FromText(e.Message));
                return false;
            }
            if (code.Packages.Count > 0)
                _collector.Display(new FormattedValue("text/plain",
                    "Installed Packages\n" + string.Join('\n', code.Packages.Select(p => $" - {p}"))));
        }
        if (string.IsNullOrWhiteSpace(code.Code)) return true;

        CellResult result;
        try
        {
            result = session.Run(code.Code, $"cell-{cell.Number}", () => watchdog?.Arm());
        }
        catch (Exception e)
        {
            // Roslyn itself failed (an assembly that cannot be loaded, for instance), not the cell's code.
            result = new CellResult.Threw(e);
        }
        finally
        {
            watchdog?.Disarm();
        }

        switch (result)
        {
            case CellResult.Completed { HasValue: true, Value: not DisplayedValue } completed:
                completed.Value.Display();
                return true;
            case CellResult.Completed:
                return true;
            case CellResult.CompileErrors compile:
                var lines = compile.Errors.Select(ScriptSession.Format).ToArray();
                _collector.AddError(new ErrorOutput(string.Join('\n', lines), lines));
                return false;
            case CellResult.Threw threw:
                _collector.AddError(ErrorOutput.FromText(CellTrace(threw.Exception.ToString())));
                return false;
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>
    /// An exception's text with the cell's frames named "cell-N" rather than by a path in the
    /// notebook's folder (a file that does not exist), and without the frames of Roslyn's own
    /// machinery below the cell's last frame.
    /// </summary>
    private string CellTrace(string text)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(options.NotebookPath))!;
        var lines = text.Replace(Path.Combine(folder, "cell-"), "cell-", StringComparison.Ordinal).Split('\n').ToList();
        int last = lines.FindLastIndex(l => l.TrimStart().StartsWith("at Submission#", StringComparison.Ordinal));
        if (last >= 0) lines.RemoveRange(last + 1, lines.Count - last - 1);
        return string.Join('\n', lines);
    }

    /// <summary>On the watchdog's thread: marks the running cell, writes the notebook, ends the process.</summary>
    private void OnTimeout()
    {
        var summary = _collector.SealAndRun(() =>
        {
            double seconds = options.CellTimeout!.Value.TotalSeconds;
            string message = $"{_running?.Describe()} timed out after {seconds:0.###} s (--cell-timeout {seconds:0.###}); " +
                "the run was stopped here and the cells below it did not run.";
            if (_running is not null) _outputs[_running].Add(ErrorOutput.FromText(message));
            _failedCells++;
            return Finish("timed-out", message);
        });
        log($"  {summary.Message}");
        Program.Exit(summary, exitCode: 2);
    }

    /// <summary>Puts the outputs into the notebook and writes it; runs under the collector's lock.</summary>
    private RunSummary Finish(string status, string? message)
    {
        var notebook = _notebook!;
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "code"))
        {
            bool ran = _outputs.TryGetValue(cell, out var outputs);
            cell.Json["outputs"] = new JsonArray(ran ? outputs!.Select(o => (JsonNode)o.ToJson()).ToArray() : []);
            cell.Json["execution_count"] = ran ? _executionCounts[cell] : null;
        }
        NotebookWriter.Write(notebook, options.OutputPath);

        var warnings = _collector.ApproximatedTypes
            .Select(t => $"values of type {t} were shown as plain text; .NET Interactive renders them as HTML")
            .ToList();
        return new RunSummary(options.NotebookPath, options.OutputPath, status,
            CodeCells: _codeCells,
            ExecutedCells: _executionCounts.Count, FailedCells: _failedCells,
            Seconds: Math.Round(_clock.Elapsed.TotalSeconds, 2), message, warnings);
    }
}
