using Milan.IO;

namespace Milan.Evaluation;

/// <summary>NetDissect and CompExp explanations of every unit of a model's layers.</summary>
public sealed record DissectionResult(string Model, IReadOnlyList<UnitLabel> NetDissect, IReadOnlyList<UnitLabel> CompExp, DissectionOptions Options)
{
    public const string NetDissectName = "netdissect";
    public const string CompExpName = "compexp";

    /// <summary>The labels as descriptions keyed by <see cref="AnnotatedUnit.Key"/>.</summary>
    public IReadOnlyDictionary<string, string> Descriptions(string method) =>
        (method == NetDissectName ? NetDissect : method == CompExpName ? CompExp : throw new ArgumentException($"unknown baseline {method}"))
        .ToDictionary(l => AnnotatedUnit.KeyOf(Model, l.Layer, l.Unit), l => l.Label);

    /// <summary>Per layer (in order), the fraction of units whose NetDissect IoU reaches the threshold (0.04).</summary>
    public IReadOnlyList<(string Layer, int Units, double Fraction)> DetectorFractions() =>
        NetDissect.GroupBy(l => l.Layer).Select(g => (g.Key, g.Count(), g.Count(l => l.Iou >= Options.IouThreshold) / (double)g.Count())).ToList();

    /// <summary>CSV: model,layer,unit,method,formula,label,iou (atomically).</summary>
    public void WriteCsv(string path) =>
        CsvFile.Write(path, ["model", "layer", "unit", "method", "formula", "label", "iou"],
            new[] { (Method: NetDissectName, Labels: NetDissect), (Method: CompExpName, Labels: CompExp) }
                .SelectMany(m => m.Labels.Select(l => new object?[] { Model, l.Layer, l.Unit, m.Method, l.Formula, l.Label, l.Iou })));
}
