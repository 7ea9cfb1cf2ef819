using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Milan.Notebooks.Documents;
using Milan.Notebooks.Kernel;

namespace Milan.Notebooks.Execution;

/// <summary>One entry of a code cell's "outputs", as nbformat 4 stores it.</summary>
public abstract class CellOutput
{
    public abstract JsonObject ToJson();
}

/// <summary>Console text; consecutive writes to the same stream are merged.</summary>
public sealed class StreamOutput(string name) : CellOutput
{
    public string Name { get; } = name;

    public StringBuilder Text { get; } = new();

    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["output_type"] = "stream",
        ["text"] = NotebookWriter.Lines(Text.ToString()),
    };
}

/// <summary>A displayed value (display(...), .Display(), DisplayAs, a cell's trailing expression).</summary>
public sealed class DisplayOutput(string displayId, IReadOnlyList<FormattedValue> values) : CellOutput
{
    public string DisplayId { get; } = displayId;

    /// <summary>Replaced when the value is updated in place.</summary>
    public IReadOnlyList<FormattedValue> Values { get; set; } = values;

    public override JsonObject ToJson()
    {
        var data = new JsonObject();
        foreach (var value in Values)
            data[value.MimeType] = MimeValue(value);
        return new JsonObject
        {
            ["data"] = data,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        };
    }

    /// <summary>Binary types as one base64 string, JSON types as JSON, other text as lines.</summary>
    private static JsonNode? MimeValue(FormattedValue value)
    {
        if (value.MimeType.StartsWith("image/", StringComparison.Ordinal) && value.MimeType != "image/svg+xml")
            return value.Value;
        if (value.MimeType == "application/json" || value.MimeType.EndsWith("+json", StringComparison.Ordinal))
        {
            try
            {
                return JsonNode.Parse(value.Value);
            }
            catch (JsonException)
            {
                return value.Value;
            }
        }
        return NotebookWriter.Lines(value.Value);
    }
}

/// <summary>A failure: compile errors, an exception, a package restore that failed, a timeout.</summary>
public sealed class ErrorOutput(string evalue, IReadOnlyList<string> traceback) : CellOutput
{
    /// <summary>.NET Interactive names every error "Error"; the text says what happened.</summary>
    public const string Name = "Error";

    public string Value { get; } = evalue;

    public IReadOnlyList<string> Traceback { get; } = traceback;

    public static ErrorOutput FromText(string text) => new(text, text.Split('\n'));

    public override JsonObject ToJson() => new()
    {
        ["ename"] = Name,
        ["evalue"] = Value,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
    };
}
