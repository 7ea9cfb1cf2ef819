using System.Text;
using Milan.IO;

namespace Milan.Captioning;

/// <summary>Writes neuron descriptions as CSV with the header <c>layer,unit,description</c> (RFC 4180 quoting), atomically.</summary>
public static class DescriptionsCsv
{
    public static void Write(string path, IEnumerable<(string Layer, int Unit, string Description)> rows)
    {
        var text = new StringBuilder("layer,unit,description\n");
        foreach (var (layer, unit, description) in rows)
            text.Append(Quote(layer)).Append(',').Append(unit).Append(',').Append(Quote(description)).Append('\n');
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
