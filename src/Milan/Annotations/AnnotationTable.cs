using System.Globalization;
using Milan.IO;

namespace Milan.Annotations;

/// <summary>One row of annotations.csv: a single human (or simulated) description of one unit.</summary>
/// <param name="Layer">The layer in canonical form (<see cref="LayerNames.Canonical"/>).</param>
/// <param name="Line">The physical line of the CSV where the row starts (the header is line 1).</param>
public sealed record AnnotationRow(string Layer, int Unit, string Summary, int Line);

/// <summary>All annotations of one unit, in file order, and the line where the unit first appears.</summary>
public sealed record UnitAnnotations(string Layer, int Unit, IReadOnlyList<AnnotationRow> Rows)
{
    public int FirstLine => Rows[0].Line;
}

/// <summary>
/// A parsed annotations.csv (header <c>layer,unit,summary</c>, one row per annotation; other columns
/// are ignored). <see cref="Units"/> groups rows by (layer, unit) in order of first appearance, which
/// is the reference's sample order for annotated datasets.
/// </summary>
public sealed class AnnotationTable
{
    public const string FileName = "annotations.csv";
    public const string LayerColumn = "layer";
    public const string UnitColumn = "unit";
    public const string SummaryColumn = "summary";

    public string Path { get; }
    public IReadOnlyList<AnnotationRow> Rows { get; }
    public IReadOnlyList<UnitAnnotations> Units { get; }

    private AnnotationTable(string path, IReadOnlyList<AnnotationRow> rows)
    {
        Path = path;
        Rows = rows;
        var groups = new Dictionary<(string, int), List<AnnotationRow>>();
        var order = new List<(string, int)>();
        foreach (var row in rows)
        {
            var key = (row.Layer, row.Unit);
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }
            list.Add(row);
        }
        Units = order.Select(k => new UnitAnnotations(k.Item1, k.Item2, groups[k])).ToArray();
    }

    /// <summary>Reads and checks the file: header columns present, every row complete, units integers.</summary>
    public static AnnotationTable Read(string path)
    {
        var records = CsvFile.Read(path);
        var header = CsvHeader.First(path, records, $"{LayerColumn},{UnitColumn},{SummaryColumn}");
        int layerColumn = header.Require(LayerColumn), unitColumn = header.Require(UnitColumn), summaryColumn = header.Require(SummaryColumn);

        var rows = new List<AnnotationRow>();
        foreach (var record in records.Skip(1))
        {
            header.CheckLength(record, layerColumn, unitColumn, summaryColumn);
            string layer = record.Fields[layerColumn];
            if (layer.Length == 0) throw header.Error(record, layerColumn, "empty layer name");
            string unitText = record.Fields[unitColumn];
            if (!int.TryParse(unitText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int unit) || unit < 0)
                throw header.Error(record, unitColumn, $"'{unitText}' is not a unit number (expected an integer >= 0)");
            rows.Add(new AnnotationRow(LayerNames.Canonical(layer), unit, record.Fields[summaryColumn], record.Line));
        }
        return new AnnotationTable(path, rows);
    }

    /// <summary>
    /// The reference's loader policy: with a count N, units with fewer than N annotations are
    /// dropped and longer lists are cut to their first N; order is first appearance. Without a count
    /// every unit is kept with all its annotations.
    /// </summary>
    public IReadOnlyList<UnitAnnotations> Kept(int? annotationCount) =>
        annotationCount is not int n
            ? Units
            : Units.Where(u => u.Rows.Count >= n)
                   .Select(u => u.Rows.Count == n ? u : u with { Rows = u.Rows.Take(n).ToArray() })
                   .ToArray();
}
