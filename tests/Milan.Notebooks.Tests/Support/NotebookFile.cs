using System.Text.Json.Nodes;

namespace Milan.Notebooks.Tests.Support;

/// <summary>Writes small notebooks for the tests in the shape VS Code saves (reference/notebooks-spec.md 1.5).</summary>
public static class NotebookFile
{
    /// <summary>A C# code cell with VS Code's cell metadata.</summary>
    public static JsonObject Code(string source, string? id = null) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["id"] = id ?? Guid.NewGuid().ToString("N")[..8],
        ["metadata"] = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            ["vscode"] = new JsonObject { ["languageId"] = "polyglot-notebook" },
        },
        ["outputs"] = new JsonArray(),
        ["source"] = Lines(source),
    };

    public static JsonObject Markdown(string source, string? id = null) => new()
    {
        ["cell_type"] = "markdown",
        ["id"] = id ?? Guid.NewGuid().ToString("N")[..8],
        ["metadata"] = new JsonObject(),
        ["source"] = Lines(source),
    };

    public static JsonObject Notebook(params JsonObject[] cells) => new()
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
        ["metadata"] = new JsonObject
        {
            ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
            ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            ["polyglot_notebook"] = new JsonObject
            {
                ["kernelInfo"] = new JsonObject
                {
                    ["defaultKernelName"] = "csharp",
                    ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                },
            },
        },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    public static string Write(string path, JsonObject notebook)
    {
        File.WriteAllText(path, notebook.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>nbformat's multi-line form: every line keeps its "\n" except the last.</summary>
    private static JsonArray Lines(string text)
    {
        string[] lines = text.Split('\n');
        return new JsonArray(lines.Select((line, i) => (JsonNode)(i < lines.Length - 1 ? line + "\n" : line)).ToArray());
    }
}
