using System.Globalization;
using System.Text;
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
        .ToDictionary(l => $"{Model}:{l.Layer}:{l.Unit}", l => l.Label);

    /// <summary>Per layer (in order), the fraction of units whose NetDissect IoU reaches the threshold (0.04).</summary>
    public IReadOnlyList<(string Layer, int Units, double Fraction)> DetectorFractions() =>
        NetDissect.GroupBy(l => l.Layer).Select(g => (g.Key, g.Count(), g.Count(l => l.Iou >= Options.IouThreshold) / (double)g.Count())).ToList();

    /// <summary>CSV: model,layer,unit,method,formula,label,iou (atomically).</summary>
    public void WriteCsv(string path)
    {
        var text = new StringBuilder("model,layer,unit,method,formula,label,iou\n");
        foreach (var (method, labels) in new[] { (NetDissectName, NetDissect), (CompExpName, CompExp) })
            foreach (var l in labels)
                text.Append(CultureInfo.InvariantCulture, $"{Agreement.Csv(Model)},{Agreement.Csv(l.Layer)},{l.Unit},{method},{Agreement.Csv(l.Formula)},{Agreement.Csv(l.Label)},{l.Iou:R}\n");
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
