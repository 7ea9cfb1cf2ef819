namespace Milan.Notebooks.Execution;

/// <summary>How to run one notebook.</summary>
/// <param name="NotebookPath">The .ipynb to run.</param>
/// <param name="OutputPath">Where the executed notebook goes (may be the input itself).</param>
/// <param name="CellTimeout">Longest time a cell's code may run; null: no limit.</param>
/// <param name="StopOnError">Skip the remaining cells after the first failing one.</param>
/// <param name="Inputs">Parameters, published as environment variables (see <see cref="NotebookInputs"/>).</param>
public sealed record RunOptions(
    string NotebookPath,
    string OutputPath,
    TimeSpan? CellTimeout,
    bool StopOnError,
    IReadOnlyDictionary<string, string> Inputs);
