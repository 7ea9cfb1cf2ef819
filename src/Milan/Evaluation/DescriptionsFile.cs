using System.Globalization;
using Milan.Annotations;
using Milan.IO;

namespace Milan.Evaluation;

/// <summary>
/// The descriptions file, as <c>milan describe</c> and the applications write it and every reader
/// reads it: CSV with the header <c>layer,unit,description</c>, or <c>model,layer,unit,description</c>
/// when it covers several models (other columns are ignored). Layer names are read in canonical form
/// (<see cref="LayerNames.Canonical"/>, as annotations.csv), so "04" and "4" name one layer; a unit
/// described twice is an error naming the line.
/// </summary>
public static class DescriptionsFile
{
    public const string ModelColumn = "model";
    public const string LayerColumn = "layer";
    public const string UnitColumn = "unit";
    public const string DescriptionColumn = "description";

    /// <summary>Every row, in file order.</summary>
    public static IReadOnlyList<DescribedUnit> ReadRows(string path)
    {
        var records = CsvFile.Read(path);
        var header = CsvHeader.First(path, records, $"{LayerColumn},{UnitColumn},{DescriptionColumn}");
        int layer = header.Require(LayerColumn), unit = header.Require(UnitColumn), description = header.Require(DescriptionColumn);
        int model = header.IndexOf(ModelColumn);
        var rows = new List<DescribedUnit>();
        var seen = new HashSet<(string?, string, int)>();
        foreach (var record in records.Skip(1))
        {
            header.CheckLength(record, layer, unit, description, model);
            string unitText = record.Fields[unit];
            if (!int.TryParse(unitText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int unitId))
                throw header.Error(record, unit, $"unit '{unitText}' is not a non-negative integer");
            var row = new DescribedUnit(model >= 0 ? record.Fields[model] : null, LayerNames.Canonical(record.Fields[layer]), unitId, record.Fields[description]);
            if (!seen.Add((row.Model, row.Layer, row.Unit)))
                throw MilanInputException.InFile(path, $"line {record.Line}: unit {(row.Model is null ? "" : row.Model + ":")}{row.Layer}:{row.Unit} described twice");
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>
    /// The descriptions keyed like <see cref="AnnotatedUnit.Key"/> (<c>model:layer:unit</c>): the model
    /// is the file's model column, or <paramref name="model"/> for a file without one.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(string path, string? model = null)
    {
        var rows = ReadRows(path);
        if (model is null && rows.Any(r => r.Model is null))
            throw MilanInputException.InFile(path, "no 'model' column; name the described model (e.g. --model resnet18/world-a)");
        var keyed = new Dictionary<string, string>();
        foreach (var row in rows) keyed[AnnotatedUnit.KeyOf(row.Model ?? model!, row.Layer, row.Unit)] = row.Description;
        return keyed;
    }

    /// <summary>Writes rows atomically, with a model column when they name their models (all or none).</summary>
    public static void Write(string path, IEnumerable<DescribedUnit> rows)
    {
        var list = rows.ToList();
        bool withModel = list.Count > 0 && list[0].Model is not null;
        if (list.Any(r => (r.Model is not null) != withModel)) throw new ArgumentException("every row names its model, or none does");
        CsvFile.Write(path, withModel ? [ModelColumn, LayerColumn, UnitColumn, DescriptionColumn] : [LayerColumn, UnitColumn, DescriptionColumn],
            list.Select(r => withModel ? new object?[] { r.Model, r.Layer, r.Unit, r.Description } : [r.Layer, r.Unit, r.Description]));
    }
}
