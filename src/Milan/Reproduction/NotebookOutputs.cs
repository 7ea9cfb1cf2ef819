using System.Text.Json;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Reproduction;

/// <summary>
/// Where a notebook saves its figures and key numbers, so that the report can show them:
/// <c>&lt;results&gt;/figures/&lt;notebook&gt;/</c> (PNG images, chart pages, <c>key-numbers.json</c>).
/// <see cref="Start"/> empties the folder, so files of an earlier run never linger beside new ones.
/// </summary>
public sealed class NotebookOutputs
{
    public const string NumbersFile = "key-numbers.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public string Folder { get; }

    private NotebookOutputs(string folder) => Folder = folder;

    public static string FiguresFolder(string resultsRoot) => Path.Combine(resultsRoot, "figures");

    /// <summary>The (emptied) output folder of notebook <paramref name="notebookName"/> under <paramref name="resultsRoot"/> (default: MILAN_RESULTS_DIR).</summary>
    public static NotebookOutputs Start(string notebookName, string? resultsRoot = null)
    {
        if (notebookName.Length == 0 || notebookName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || notebookName.StartsWith('.'))
            throw new ArgumentException($"'{notebookName}' is not a file name");
        string folder = Path.Combine(FiguresFolder(resultsRoot ?? MilanRoots.Results), notebookName);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return new NotebookOutputs(folder);
    }

    /// <summary>Writes a PNG image; returns its path.</summary>
    public string SavePng(string fileName, byte[] png) => Save(fileName, ".png", path => AtomicFile.WriteAllBytes(path, png));

    /// <summary>Writes a chart as an HTML page that loads plotly.js from this folder (written once); returns its path.</summary>
    public string SaveChart(Figure figure, string fileName) => Save(fileName, ".html", figure.SaveHtml);

    /// <summary>Writes the notebook's key numbers for the report's table (replacing earlier ones).</summary>
    public void SaveNumbers(IEnumerable<KeyNumber> numbers) =>
        AtomicFile.WriteAllText(Path.Combine(Folder, NumbersFile), JsonSerializer.Serialize(numbers.ToList(), Json));

    /// <summary>The key numbers notebook <paramref name="notebookName"/> saved, or none.</summary>
    public static IReadOnlyList<KeyNumber> ReadNumbers(string resultsRoot, string notebookName)
    {
        string path = Path.Combine(FiguresFolder(resultsRoot), notebookName, NumbersFile);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<KeyNumber>>(File.ReadAllText(path), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(path, $"not a list of key numbers ({e.Message})");
        }
    }

    private string Save(string fileName, string extension, Action<string> write)
    {
        if (fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{fileName}' must be a plain file name ending in {extension}");
        string path = Path.Combine(Folder, fileName);
        write(path);
        return path;
    }
}
