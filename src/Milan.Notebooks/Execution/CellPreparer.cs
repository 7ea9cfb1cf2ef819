using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Milan.Notebooks.Documents;
using Milan.Notebooks.Packages;

namespace Milan.Notebooks.Execution;

/// <summary>
/// Decides which kernel a cell belongs to and turns C# cells into <see cref="PreparedCell"/>s
/// (reference/notebooks-spec.md 8.1, "Reading" and "Preprocessing"). Everything is checked before
/// the first cell runs, so that a notebook with a cell for another kernel or an unknown magic
/// command is rejected up front instead of failing half-way.
/// </summary>
public static partial class CellPreparer
{
    /// <summary>Prepares every code cell; throws <see cref="NotebookFormatException"/> on the first problem.</summary>
    public static IReadOnlyDictionary<NotebookCell, PreparedCell> PrepareAll(Notebook notebook)
    {
        string defaultKernel = DefaultKernel(notebook.Metadata);
        var prepared = new Dictionary<NotebookCell, PreparedCell>();
        foreach (var cell in notebook.Cells.Where(c => c.CellType == "code"))
            prepared[cell] = Prepare(notebook.Path, cell, defaultKernel);
        return prepared;
    }

    private static PreparedCell Prepare(string notebookPath, NotebookCell cell, string defaultKernel)
    {
        string[] lines = cell.Source.Split('\n');
        int firstCodeLine = Array.FindIndex(lines, l => l.Trim().Length > 0);
        string? selector = firstCodeLine >= 0 && KernelSelector().Match(lines[firstCodeLine]) is { Success: true } m
            ? m.Groups["name"].Value : null;
        string kernel = selector ?? CellKernel(cell.Metadata) ?? defaultKernel;
        if (!IsCSharp(kernel))
            throw NotebookFormatException.InCell(notebookPath, cell,
                $"kernel '{kernel}' is not supported; this executor runs C# cells only (csharp)");

        var packages = new List<PackageReference>();
        var sources = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int lineNumber = i + 1;
            if (i == firstCodeLine && selector is not null)
            {
                lines[i] = "";
            }
            else if (Magic().Match(line) is { Success: true } magic)
            {
                string name = magic.Groups["name"].Value;
                throw NotebookFormatException.InCell(notebookPath, cell, lineNumber, IsKnownKernel(name)
                    ? $"'#!{name}' switches to another kernel; this executor runs C# cells only"
                    : $"unrecognized magic command '#!{name}'; only a leading #!csharp is supported (docs/notebooks.md)");
            }
            else if (ReferenceDirective().Match(line) is { Success: true } reference && IsNuget(reference.Groups["value"].Value, out var package))
            {
                packages.Add(PackageReference.TryParse(package, out var problem)
                    ?? throw NotebookFormatException.InCell(notebookPath, cell, lineNumber, $"#r \"nuget: …\": {problem}"));
                lines[i] = "";
            }
            else if (SourceDirective().Match(line) is { Success: true } source)
            {
                string value = source.Groups["value"].Value.Trim();
                if (value.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) value = value[6..].Trim();
                if (value.Length == 0)
                    throw NotebookFormatException.InCell(notebookPath, cell, lineNumber, "#i \"nuget: …\" names no package source");
                sources.Add(value);
                lines[i] = "";
            }
        }
        return new PreparedCell(string.Join('\n', lines), packages, sources);
    }

    private static bool IsNuget(string value, out string package)
    {
        value = value.Trim();
        bool nuget = value.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase);
        package = nuget ? value[6..] : "";
        return nuget;
    }

    private static bool IsCSharp(string kernel) =>
        kernel.Equals("csharp", StringComparison.OrdinalIgnoreCase) || kernel.Equals("c#", StringComparison.OrdinalIgnoreCase);

    private static bool IsKnownKernel(string name) =>
        name is "fsharp" or "f#" or "F#" or "pwsh" or "powershell" or "javascript" or "js" or "html" or "sql" or "kql"
            or "mermaid" or "http" or "value" or "markdown" or "md";

    /// <summary>The cell's kernel from its metadata: polyglot_notebook.kernelName, then dotnet_interactive.language.</summary>
    private static string? CellKernel(JsonObject metadata) =>
        Text(metadata["polyglot_notebook"]?["kernelName"]) ?? Text(metadata["dotnet_interactive"]?["language"]);

    /// <summary>The notebook's default kernel, read in the order VS Code reads it; C# when nothing says.</summary>
    private static string DefaultKernel(JsonObject metadata)
    {
        var polyglot = metadata["polyglot_notebook"];
        string? kernelspec = Text(metadata["kernelspec"]?["name"]);
        return Text(polyglot?["kernelInfo"]?["defaultKernelName"])
            ?? Text(polyglot?["defaultKernelName"])
            ?? (kernelspec is null ? null : kernelspec.StartsWith(".net-", StringComparison.Ordinal) ? kernelspec[5..] : kernelspec)
            ?? "csharp";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    [GeneratedRegex(@"^\s*#!(?<name>csharp|c#|C#)\s*$")]
    private static partial Regex KernelSelector();

    [GeneratedRegex(@"^\s*#!(?<name>\S+)")]
    private static partial Regex Magic();

    [GeneratedRegex(@"^\s*#r\s+""(?<value>[^""]*)""\s*(//.*)?$")]
    private static partial Regex ReferenceDirective();

    [GeneratedRegex(@"^\s*#i\s+""(?<value>[^""]*)""\s*(//.*)?$")]
    private static partial Regex SourceDirective();
}
