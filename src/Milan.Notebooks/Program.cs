using System.Globalization;
using Milan.Notebooks.Documents;
using Milan.Notebooks.Execution;
using Milan.Notebooks.Protocol;

namespace Milan.Notebooks;

/// <summary>
/// <c>Milan.Notebooks &lt;notebook.ipynb&gt; [--output-path FILE] [--cell-timeout SECONDS]
/// [--stop-on-error] [--input KEY=VALUE]... [--summary-path FILE]</c>
/// Runs one notebook. Exit code 0: no cell failed; 2: a cell failed or timed out; 1: usage error,
/// malformed notebook, or a failure of the executor itself. Progress goes to stderr; the executed
/// notebook to the output path (default: the notebook itself); a JSON <see cref="RunSummary"/> to
/// the summary path when given. Normally started by <c>milan notebook run</c>.
/// </summary>
public static class Program
{
    private const string Usage =
        "usage: Milan.Notebooks <notebook.ipynb> [--output-path FILE] [--cell-timeout SECONDS] " +
        "[--stop-on-error] [--input KEY=VALUE]... [--summary-path FILE]";

    private static readonly TextWriter Log = Console.Error;
    private static string? _summaryPath;

    public static int Main(string[] args)
    {
        RunOptions options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException e)
        {
            Log.WriteLine($"error: {e.Message}");
            Log.WriteLine(Usage);
            return 1;
        }

        try
        {
            var summary = new NotebookRunner(options, Log.WriteLine).Run();
            foreach (var warning in summary.Warnings) Log.WriteLine($"  warning: {warning}");
            return Exit(summary, summary.Status == "ok" ? 0 : 2);
        }
        catch (NotebookFormatException e)
        {
            Log.WriteLine($"error: {e.Message}");
            return Exit(new RunSummary(options.NotebookPath, null, "rejected", 0, 0, 0, 0, e.Message, []), 1);
        }
        catch (Exception e)
        {
            Log.WriteLine($"error: the notebook executor failed: {e}");
            return Exit(new RunSummary(options.NotebookPath, null, "crashed", 0, 0, 0, 0, e.Message, []), 1);
        }
    }

    /// <summary>Writes the summary and ends the process (also from the timeout watchdog's thread).</summary>
    internal static int Exit(RunSummary summary, int exitCode)
    {
        if (_summaryPath is not null) summary.WriteTo(_summaryPath);
        Log.Flush();
        Environment.Exit(exitCode);
        return exitCode;
    }

    private static RunOptions Parse(string[] args)
    {
        string? notebook = null, output = null;
        TimeSpan? timeout = null;
        bool stopOnError = false;
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "--output-path":
                    output = Value();
                    break;
                case "--summary-path":
                    _summaryPath = Path.GetFullPath(Value());
                    break;
                case "--cell-timeout":
                    string text = Value();
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
                        throw new ArgumentException($"--cell-timeout: '{text}' is not a number of seconds (0: no limit)");
                    timeout = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
                    break;
                case "--stop-on-error":
                    stopOnError = true;
                    break;
                case "--input":
                    string pair = Value();
                    int equals = pair.IndexOf('=');
                    string key = equals < 0 ? pair : pair[..equals];
                    if (equals < 0 || !NotebookInputs.IsValidKey(key))
                        throw new ArgumentException($"--input: '{pair}' is not KEY=VALUE with a key of letters, digits, '_', '-', '.'");
                    inputs[key] = pair[(equals + 1)..];
                    break;
                default:
                    if (arg.StartsWith('-') || notebook is not null) throw new ArgumentException($"unexpected argument '{arg}'");
                    notebook = arg;
                    break;
            }
        }
        if (notebook is null) throw new ArgumentException("the notebook to run is missing");
        notebook = Path.GetFullPath(notebook);
        if (!File.Exists(notebook)) throw new ArgumentException($"{notebook}: no such file");
        return new RunOptions(notebook, Path.GetFullPath(output ?? notebook), timeout, stopOnError, inputs);
    }
}
