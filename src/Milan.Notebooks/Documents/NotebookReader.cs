using System.Text.Json;
using System.Text.Json.Nodes;

namespace Milan.Notebooks.Documents;

/// <summary>Reads an .ipynb file and checks its structure (nbformat 4; reference/notebooks-spec.md 1).</summary>
public static class NotebookReader
{
    private static readonly string[] CellTypes = ["code", "markdown", "raw"];

    public static Notebook Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw NotebookFormatException.In(path, $"cannot be read: {e.Message}");
        }
        return Parse(path, text);
    }

    public static Notebook Parse(string path, string text)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw NotebookFormatException.In(path,
                $"not a JSON notebook (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)}");
        }
        if (root is not JsonObject json)
            throw NotebookFormatException.In(path, "not a notebook: the JSON document is not an object");

        int major = ReadInt(json, "nbformat") ?? throw NotebookFormatException.In(path, "field 'nbformat' missing or not a number");
        if (major != 4)
            throw NotebookFormatException.In(path,
                $"nbformat {major} is not supported; this executor runs nbformat 4 notebooks (convert with `jupyter nbconvert --to notebook --nbformat 4`)");
        if (json["metadata"] is not (null or JsonObject))
            throw NotebookFormatException.In(path, "field 'metadata' must be an object");
        if (json["cells"] is not JsonArray cellArray)
            throw NotebookFormatException.In(path, "field 'cells' missing or not an array");

        var cells = new List<NotebookCell>(cellArray.Count);
        for (int i = 0; i < cellArray.Count; i++)
        {
            if (cellArray[i] is not JsonObject cellJson)
                throw NotebookFormatException.In(path, $"cell {i + 1}: not a JSON object");
            var cell = new NotebookCell(cellJson, i + 1);
            CheckCell(path, cell);
            cells.Add(cell);
        }
        return new Notebook(path, json, cells);
    }

    private static void CheckCell(string path, NotebookCell cell)
    {
        var json = cell.Json;
        if (json["cell_type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type) || !CellTypes.Contains(type))
            throw NotebookFormatException.InCell(path, cell, "field 'cell_type' must be \"code\", \"markdown\" or \"raw\"");
        bool sourceOk = json["source"] switch
        {
            JsonValue v => v.TryGetValue<string>(out _),
            JsonArray lines => lines.All(l => l is JsonValue lv && lv.TryGetValue<string>(out _)),
            _ => false,
        };
        if (!sourceOk)
            throw NotebookFormatException.InCell(path, cell, "field 'source' must be a string or an array of strings");
        if (json["metadata"] is not (null or JsonObject))
            throw NotebookFormatException.InCell(path, cell, "field 'metadata' must be an object");
        if (json["id"] is { } id && !(id is JsonValue idValue && idValue.TryGetValue<string>(out _)))
            throw NotebookFormatException.InCell(path, cell, "field 'id' must be a string");
    }

    private static int? ReadInt(JsonObject json, string name) =>
        json[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
