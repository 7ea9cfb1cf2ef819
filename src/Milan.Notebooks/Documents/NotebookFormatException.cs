namespace Milan.Notebooks.Documents;

/// <summary>
/// A notebook this executor refuses to run: not JSON, not nbformat 4, a malformed cell, a cell for
/// another kernel, a magic command it does not implement. The message names the notebook and,
/// where there is one, the cell and the line.
/// </summary>
public sealed class NotebookFormatException(string message) : Exception(message)
{
    public static NotebookFormatException In(string notebookPath, string problem) => new($"{notebookPath}: {problem}");

    public static NotebookFormatException InCell(string notebookPath, NotebookCell cell, string problem) =>
        new($"{notebookPath}: {cell.Describe()}: {problem}");

    public static NotebookFormatException InCell(string notebookPath, NotebookCell cell, int line, string problem) =>
        new($"{notebookPath}: {cell.Describe()}, line {line}: {problem}");
}
