using System.Globalization;
using Milan.Annotations;
using Milan.Captioning;

namespace Milan.Experiments;

/// <summary>One unit's description, the input of every application (from MILAN or from a file).</summary>
public sealed record UnitDescription(string Layer, int Unit, string Description)
{
    public ModelUnit Id => new(Layer, Unit);

    /// <summary>Reads a descriptions CSV (header <c>layer,unit,description</c>, as <c>milan describe</c> writes).</summary>
    public static IReadOnlyList<UnitDescription> ReadCsv(string path)
    {
        var records = CsvFile.Read(path).ToList();
        if (records.Count == 0) throw MilanInputException.InFile(path, "empty file; expected the header layer,unit,description");
        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        int layer = header.IndexOf("layer"), unit = header.IndexOf("unit"), description = header.IndexOf("description");
        if (layer < 0 || unit < 0 || description < 0)
            throw MilanInputException.InFile(path, $"header '{string.Join(",", records[0].Fields)}' lacks column 'layer', 'unit' or 'description'");
        var result = new List<UnitDescription>();
        var seen = new HashSet<ModelUnit>();
        foreach (var record in records.Skip(1))
        {
            int needed = Math.Max(layer, Math.Max(unit, description));
            if (record.Fields.Length <= needed)
                throw MilanInputException.InFile(path, $"line {record.Line}: {record.Fields.Length} fields, expected at least {needed + 1}");
            if (!int.TryParse(record.Fields[unit], NumberStyles.None, CultureInfo.InvariantCulture, out int unitId))
                throw MilanInputException.InFile(path, $"line {record.Line}: unit '{record.Fields[unit]}' is not a non-negative integer");
            var row = new UnitDescription(record.Fields[layer], unitId, record.Fields[description]);
            if (!seen.Add(row.Id)) throw MilanInputException.InFile(path, $"line {record.Line}: unit {row.Id} is described twice");
            result.Add(row);
        }
        return result;
    }

    /// <summary>Writes descriptions as <c>layer,unit,description</c> CSV, atomically.</summary>
    public static void WriteCsv(string path, IEnumerable<UnitDescription> descriptions) =>
        DescriptionsCsv.Write(path, descriptions.Select(d => (d.Layer, d.Unit, d.Description)));
}
