using Milan.Evaluation;

namespace Milan.Experiments;

/// <summary>One unit's description, the input of every application (from MILAN or from a file).</summary>
public sealed record UnitDescription(string Layer, int Unit, string Description)
{
    public ModelUnit Id => new(Layer, Unit);

    /// <summary>Reads a descriptions file of one model (<see cref="DescriptionsFile"/>, as <c>milan describe</c> writes).</summary>
    public static IReadOnlyList<UnitDescription> ReadCsv(string path)
    {
        var rows = DescriptionsFile.ReadRows(path);
        if (rows.Select(r => r.Model).Distinct().Count() > 1)
            throw MilanInputException.InFile(path, $"describes the units of several models ({string.Join(", ", rows.Select(r => r.Model).Distinct())}); give one model's descriptions");
        return rows.Select(r => new UnitDescription(r.Layer, r.Unit, r.Description)).ToList();
    }

    /// <summary>Writes descriptions as a descriptions file (<c>layer,unit,description</c>), atomically.</summary>
    public static void WriteCsv(string path, IEnumerable<UnitDescription> descriptions) =>
        DescriptionsFile.Write(path, descriptions.Select(d => new DescribedUnit(null, d.Layer, d.Unit, d.Description)));
}
