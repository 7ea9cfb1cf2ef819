using System.Text.RegularExpressions;

namespace Milan.Cli.Notebooks;

/// <summary>Which notebooks `milan notebook run` runs, where each executed notebook goes, and with what.</summary>
public sealed partial record NotebookRunPlan(
    IReadOnlyList<(string Source, string Output)> Notebooks,
    double CellTimeoutSeconds,
    IReadOnlyList<string> Inputs)
{
    /// <summary>Checks the command line; bad values raise <see cref="MilanInputException"/>.</summary>
    public static NotebookRunPlan Create(string path, string? outputPath, double cellTimeoutSeconds, IReadOnlyList<string> inputs)
    {
        if (cellTimeoutSeconds < 0 || double.IsNaN(cellTimeoutSeconds))
            throw new MilanInputException($"--cell-timeout: {cellTimeoutSeconds} is not a number of seconds (0: no limit)");
        foreach (var input in inputs)
        {
            if (!InputPattern().IsMatch(input))
                throw new MilanInputException($"--input: '{input}' is not key=value with a key of letters, digits, '_', '-', '.'");
        }

        string full = Path.GetFullPath(path);
        IReadOnlyList<string> sources;
        bool isFolder = Directory.Exists(full);
        if (isFolder)
        {
            sources = Directory.EnumerateFiles(full, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            if (sources.Count == 0) throw MilanInputException.InFile(path, "folder contains no .ipynb notebook");
        }
        else if (File.Exists(full))
        {
            if (!full.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                throw MilanInputException.InFile(path, "not a notebook: expected a .ipynb file or a folder");
            sources = [full];
        }
        else
        {
            throw MilanInputException.InFile(path, "no such notebook or folder");
        }

        string? output = outputPath is null ? null : Path.GetFullPath(outputPath);
        bool outputIsFile = output is not null && output.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);
        if (outputIsFile && isFolder)
            throw new MilanInputException($"--output-path: {outputPath} is a notebook file, but {path} is a folder of notebooks; give a folder");
        if (output is not null && !outputIsFile && File.Exists(output))
            throw new MilanInputException($"--output-path: {outputPath} is a file that is not a .ipynb notebook");

        var notebooks = sources.Select(source => (source, output switch
        {
            null => source,
            _ when outputIsFile => output,
            _ => Path.Combine(output, Path.GetFileName(source)),
        })).ToList();
        return new NotebookRunPlan(notebooks, cellTimeoutSeconds, inputs);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*=")]
    private static partial Regex InputPattern();
}
