using System.Text.Json.Nodes;

namespace Milan.Notebooks.Documents;

/// <summary>One cell of a notebook, over the cell's JSON object (unknown fields are kept as read).</summary>
public sealed class NotebookCell(JsonObject json, int number)
{
    /// <summary>The cell's JSON; outputs and execution count are replaced in place when written.</summary>
    public JsonObject Json { get; } = json;

    /// <summary>1-based position among all cells of the notebook, markdown included.</summary>
    public int Number { get; } = number;

    public string CellType => (string)Json["cell_type"]!;

    public string? Id => Json["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;

    /// <summary>The source as one string (nbformat stores a string or an array of line strings).</summary>
    public string Source => Json["source"] switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => "",
    };

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    /// <summary>"cell 3 (id 'e5f6a7b8')", for messages.</summary>
    public string Describe() => Id is null ? $"cell {Number}" : $"cell {Number} (id '{Id}')";
}
