using System.Diagnostics;
using System.Globalization;
using Milan.Notebooks.Protocol;

namespace Milan.Cli.Notebooks;

/// <summary>
/// Starts the notebook executor (src/Milan.Notebooks, copied to notebook-executor/ next to this
/// program by build/NotebookExecutor.targets) in its own process for one notebook. Its progress
/// goes straight to this console; its outcome comes back as a summary file. <c>environment</c> adds
/// variables to its process (milan reproduce passes the roots).
/// </summary>
public static class NotebookExecutor
{
    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "notebook-executor", "Milan.Notebooks.dll");

    public static RunSummary Run(string notebook, string output, double cellTimeoutSeconds, bool stopOnError,
        IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(AssemblyPath))
            throw new InvalidOperationException($"the notebook executor is missing: {AssemblyPath} (build src/Milan.Cli again)");

        string summaryPath = Path.Combine(Path.GetTempPath(), $"milan-notebook-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(DotNetHost.Path) { UseShellExecute = false, RedirectStandardInput = true };
        start.ArgumentList.Add(AssemblyPath);
        start.ArgumentList.Add(notebook);
        start.ArgumentList.Add("--output-path");
        start.ArgumentList.Add(output);
        start.ArgumentList.Add("--cell-timeout");
        start.ArgumentList.Add(cellTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--summary-path");
        start.ArgumentList.Add(summaryPath);
        if (stopOnError) start.ArgumentList.Add("--stop-on-error");
        foreach (var input in inputs)
        {
            start.ArgumentList.Add("--input");
            start.ArgumentList.Add(input);
        }
        DotNetHost.CleanEnvironment(start.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var clock = Stopwatch.StartNew();
        try
        {
            using (var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {DotNetHost.Path}"))
            {
                process.StandardInput.Close();
                process.WaitForExit();
                if (File.Exists(summaryPath)) return RunSummary.Read(summaryPath);
                return new RunSummary(notebook, null, "crashed", 0, 0, 0, Math.Round(clock.Elapsed.TotalSeconds, 2),
                    $"the executor ended with exit code {process.ExitCode} without a summary", []);
            }
        }
        finally
        {
            File.Delete(summaryPath);
        }
    }
}
