using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Milan.Notebooks.Documents;

/// <summary>
/// Writes a notebook as nbformat 4.5 the way .NET Interactive's document library does: one-space
/// indentation, no escaping of &lt; &gt; &amp; or non-ASCII, multi-line text as arrays of lines.
/// Metadata and cell ids are kept; what .NET Interactive and VS Code need is added only where
/// missing (reference/notebooks-spec.md 1.5), never overwritten.
/// </summary>
public static class NotebookWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Completes the metadata and ids, then writes atomically (temporary file, then move).</summary>
    public static void Write(Notebook notebook, string path)
    {
        Complete(notebook);
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        string temporary = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = File.Create(temporary))
            {
                using (var writer = new Utf8JsonWriter(stream, WriterOptions))
                    notebook.Json.WriteTo(writer);
                stream.Write("\n"u8);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Splits text into nbformat's multi-line form: lines that keep their "\n", the last one without.</summary>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length - 1;
            lines.Add(text.Substring(start, end - start + 1));
            start = end + 1;
        }
        return lines;
    }

    private static void Complete(Notebook notebook)
    {
        var json = notebook.Json;
        json["nbformat"] = 4;
        json["nbformat_minor"] = 5;

        var metadata = notebook.Metadata;
        AddIfMissing(metadata, "kernelspec", () => new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        });
        AddIfMissing(metadata, "language_info", () => new JsonObject { ["name"] = "polyglot-notebook" });
        AddIfMissing(metadata, "polyglot_notebook", () => new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        });

        var ids = new HashSet<string>(notebook.Cells.Select(c => c.Id).OfType<string>(), StringComparer.Ordinal);
        foreach (var cell in notebook.Cells)
        {
            _ = cell.Metadata; // nbformat requires the key
            if (cell.Id is null)
            {
                string id = DerivedId(cell, ids);
                ids.Add(id);
                cell.Json["id"] = id;
            }
            if (cell.CellType == "code")
            {
                AddIfMissing(cell.Json, "outputs", () => new JsonArray());
                AddIfMissing(cell.Json, "execution_count", () => null);
            }
        }
    }

    /// <summary>A stable id for a cell that has none: hex of a hash of its position and source.</summary>
    private static string DerivedId(NotebookCell cell, HashSet<string> taken)
    {
        for (int salt = 0; ; salt++)
        {
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{cell.Number}:{salt}:{cell.Source}"));
            string id = Convert.ToHexStringLower(hash)[..8];
            if (!taken.Contains(id)) return id;
        }
    }

    private static void AddIfMissing(JsonObject json, string key, Func<JsonNode?> value)
    {
        if (!json.ContainsKey(key)) json[key] = value();
    }
}
