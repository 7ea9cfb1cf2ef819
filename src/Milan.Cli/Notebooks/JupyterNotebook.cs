using System.Diagnostics;
using System.Globalization;

namespace Milan.Cli.Notebooks;

/// <summary>
/// Executes one notebook headless the way Jupyter does: Debian's nbclient (<see cref="Python"/>) runs
/// it with the .NET Interactive kernel <c>.net-csharp</c> that scripts/setup.sh registers, through
/// execute_notebook.py (embedded in this program). Inputs become the kernel's environment variables
/// MILAN_INPUT_&lt;KEY&gt;; <c>environment</c> adds more (milan reproduce passes the roots). The
/// cells' progress goes to this console; the outcome comes back as a summary file.
/// </summary>
public static class JupyterNotebook
{
    /// <summary>Debian's python, which has nbclient and nbformat (the first python3 on PATH may not).</summary>
    public const string Python = "/usr/bin/python3";

    public const string InputPrefix = "MILAN_INPUT_";

    /// <summary>The variable a key=value input sets: key upper-cased, '-' and '.' as '_'.</summary>
    public static string InputVariable(string key) => InputPrefix + key.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    public static RunSummary Run(string notebook, string output, double cellTimeoutSeconds, bool stopOnError,
        IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} not found: run bash scripts/setup.sh (python3-nbclient, jupyter-client)");
        string script = Path.Combine(Path.GetTempPath(), $"milan-execute-notebook-{Guid.NewGuid():N}.py");
        string summaryPath = Path.ChangeExtension(script, ".json");
        using (var resource = typeof(JupyterNotebook).Assembly.GetManifestResourceStream("Milan.Cli.Notebooks.execute_notebook.py")
                              ?? throw new InvalidOperationException("execute_notebook.py is not embedded in this program"))
        using (var file = File.Create(script))
            resource.CopyTo(file);

        var start = new ProcessStartInfo(Python) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { script, notebook, output, cellTimeoutSeconds.ToString(CultureInfo.InvariantCulture), stopOnError ? "1" : "0", summaryPath })
            start.ArgumentList.Add(argument);
        DotNetHost.CleanEnvironment(start.Environment);
        foreach (var input in inputs)
        {
            int equals = input.IndexOf('=');
            start.Environment[InputVariable(input[..equals])] = input[(equals + 1)..];
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var clock = Stopwatch.StartNew();
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
            process.StandardInput.Close();
            process.WaitForExit();
            if (File.Exists(summaryPath)) return RunSummary.Read(summaryPath);
            return new RunSummary(notebook, null, "crashed", 0, 0, 0, Math.Round(clock.Elapsed.TotalSeconds, 2),
                $"nbclient ended with exit code {process.ExitCode} without a summary");
        }
        finally
        {
            File.Delete(script);
            File.Delete(summaryPath);
        }
    }
}
