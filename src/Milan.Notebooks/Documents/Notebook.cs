using System.Text.Json.Nodes;

namespace Milan.Notebooks.Documents;

/// <summary>
/// An nbformat 4 notebook held as its JSON tree, so that everything the executor does not touch
/// (notebook and cell metadata, cell ids, key order) is written back as it was read.
/// </summary>
public sealed class Notebook(string path, JsonObject json, IReadOnlyList<NotebookCell> cells)
{
    /// <summary>The file it was read from.</summary>
    public string Path { get; } = path;

    public JsonObject Json { get; } = json;

    public IReadOnlyList<NotebookCell> Cells { get; } = cells;

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());
}
