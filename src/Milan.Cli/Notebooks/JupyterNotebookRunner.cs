using Milan.Reproduction;

namespace Milan.Cli.Notebooks;

/// <summary>
/// The notebook runner of <c>milan reproduce</c>: Jupyter's nbclient with the .NET Interactive
/// kernel, as <c>milan notebook run</c> (the local feed is brought up to date once, before the first notebook).
/// </summary>
public sealed class JupyterNotebookRunner(double cellTimeoutSeconds, Action<string> report) : INotebookRunner
{
    private bool _feedChecked;

    public NotebookOutcome Run(string notebook, string output, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string> environment)
    {
        if (!_feedChecked)
        {
            string? repository = LocalFeed.FindRepository(notebook) ?? LocalFeed.FindRepository(AppContext.BaseDirectory);
            if (repository is not null) LocalFeed.Ensure(repository, force: false, report);
            _feedChecked = true;
        }
        var summary = JupyterNotebook.Run(notebook, output, cellTimeoutSeconds, stopOnError: false, inputs, environment);
        return new NotebookOutcome(summary.Status, summary.CodeCells, summary.ExecutedCells, summary.FailedCells, summary.Seconds, summary.Message);
    }
}
