using System.Globalization;
using Milan.Annotations;

namespace Milan.Evaluation;

/// <summary>
/// Reads a descriptions CSV as <c>milan describe</c> writes it (<c>layer,unit,description</c>; an
/// optional <c>model</c> column names the described model when the file covers several) into a
/// dictionary keyed like <see cref="AnnotatedUnit.Key"/>.
/// </summary>
public static class DescriptionsFile
{
    public static IReadOnlyDictionary<string, string> Read(string path, string? model = null)
    {
        using var records = CsvFile.Read(path).GetEnumerator();
        if (!records.MoveNext()) throw MilanInputException.InFile(path, "empty file; expected the header layer,unit,description");
        var header = records.Current.Fields.Select(f => f.Trim()).ToList();
        int layer = Column(header, "layer", path), unit = Column(header, "unit", path), description = Column(header, "description", path);
        int modelColumn = header.IndexOf("model");
        if (modelColumn < 0 && model is null) throw MilanInputException.InFile(path, "no 'model' column; name the described model (e.g. --model resnet18/world-a)");
        var result = new Dictionary<string, string>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            int needed = new[] { layer, unit, description, modelColumn }.Max() + 1;
            if (fields.Length < needed) throw MilanInputException.InFile(path, $"line {line}: {fields.Length} fields; expected {needed}");
            if (!int.TryParse(fields[unit], NumberStyles.Integer, CultureInfo.InvariantCulture, out int unitId) || unitId < 0)
                throw MilanInputException.InFile(path, $"line {line}: unit '{fields[unit]}' is not a non-negative integer");
            string owner = modelColumn >= 0 ? fields[modelColumn] : model!;
            string key = $"{owner}:{LayerNames.Canonical(fields[layer])}:{unitId}";
            if (!result.TryAdd(key, fields[description])) throw MilanInputException.InFile(path, $"line {line}: unit {key} described twice");
        }
        return result;
    }

    /// <summary>Writes descriptions with a model column (<c>model,layer,unit,description</c>), atomically.</summary>
    public static void Write(string path, IEnumerable<(string Model, string Layer, int Unit, string Description)> rows)
    {
        var text = new System.Text.StringBuilder("model,layer,unit,description\n");
        foreach (var (m, l, u, d) in rows)
            text.Append(Agreement.Csv(m)).Append(',').Append(Agreement.Csv(l)).Append(',').Append(u.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Agreement.Csv(d)).Append('\n');
        IO.AtomicFile.WriteAllText(path, text.ToString());
    }

    private static int Column(List<string> header, string name, string path)
    {
        int index = header.IndexOf(name);
        return index >= 0 ? index : throw MilanInputException.InFile(path, $"column '{name}' missing in header");
    }
}
