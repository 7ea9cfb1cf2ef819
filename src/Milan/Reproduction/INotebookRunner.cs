namespace Milan.Reproduction;

/// <summary>
/// Executes one notebook headless (Jupyter's nbclient with the .NET Interactive kernel, as <c>milan notebook run</c> does)
/// and writes the executed notebook to <c>output</c>.
/// </summary>
public interface INotebookRunner
{
    /// <param name="inputs">key=value parameters (the notebook reads MILAN_INPUT_&lt;KEY&gt;)</param>
    /// <param name="environment">extra environment variables of the notebook's process (the roots)</param>
    NotebookOutcome Run(string notebook, string output, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string> environment);
}

/// <summary>The outcome of one notebook run: status "ok", "failed", "timed-out", "rejected" or "crashed".</summary>
public sealed record NotebookOutcome(string Status, int CodeCells, int ExecutedCells, int FailedCells, double Seconds, string? Message)
{
    public bool Succeeded => Status == "ok";
}
