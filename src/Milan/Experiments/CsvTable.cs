using System.Globalization;
using System.Text;
using Milan.IO;

namespace Milan.Experiments;

/// <summary>Writes the experiments' CSV tables: a header and rows, RFC 4180 quoting, invariant numbers (doubles round-trip).</summary>
public static class CsvTable
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Quote)).Append('\n');
        foreach (var row in rows)
        {
            if (row.Count != header.Count) throw new ArgumentException($"a row has {row.Count} fields for {header.Count} columns");
            text.AppendJoin(',', row.Select(Format)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
