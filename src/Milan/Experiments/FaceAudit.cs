using Milan.Language;
using Milan.IO;
using Milan.Visualization;
using Milan.World;

namespace Milan.Experiments;

/// <summary>A model to audit: a name for tables, the folder of its exemplars (on the unblurred probe split) and its units' descriptions.</summary>
public sealed record AuditedModel(string Name, string ExemplarFolder, IReadOnlyList<UnitDescription> Descriptions);

/// <summary>Settings of the face audit.</summary>
public sealed record FaceAuditOptions
{
    /// <summary>The word rule (default: face, head, nose, eyes, mouth as whole words, singular and plural).</summary>
    public WordRule Rule { get; init; } = WordRule.FaceWords;

    /// <summary>The ground truth's concept: units whose exemplar masks overlap it enough are face units.</summary>
    public string Concept { get; init; } = "face";

    /// <summary>A unit is a ground-truth face unit when its IoU with the face masks is at least this.</summary>
    public double IouThreshold { get; init; } = 0.1;

    /// <summary>Further thresholds at which precision and recall are also reported.</summary>
    public IReadOnlyList<double> ReportedThresholds { get; init; } = [0.05, 0.1, 0.2, 0.3];

    /// <summary>Most exemplar sheets written per model (word-flagged units first, then the truth's by IoU); 0 = none.</summary>
    public int MaxSheetsPerModel { get; init; } = 100;

    /// <summary>Sizes per profile: at most 10 sheets per model for tiny, 40 for demo, 100 for paper.</summary>
    public static FaceAuditOptions For(Profile profile) => new() { MaxSheetsPerModel = profile.Choose(10, 40, 100) };
}

/// <summary>One audited unit.</summary>
public sealed record AuditedUnit(string Model, UnitDescription Unit, IReadOnlyList<string> MatchedWords, double FaceIou, bool TruthFlagged)
{
    public bool WordFlagged => MatchedWords.Count > 0;
}

/// <summary>Counts of one model and layer ("all" for the whole model): units, flags by the word rule and by the truth, and their agreement.</summary>
public sealed record AuditCount(string Model, string Layer, int Units, PrecisionRecall Agreement);

/// <summary>Precision and recall of the word rule against the truth at one IoU threshold, per model and over all ("all").</summary>
public sealed record AuditThreshold(string Model, double Threshold, PrecisionRecall Agreement);

/// <summary>One model's audit in numbers: flags by the word rule and by the truth (IoU ≥ the threshold), over all layers and per layer.</summary>
public sealed record AuditModelReport(
    string Model, int Units, int WordFlagged, int TruthFlagged, int Both, double? Precision, double? Recall,
    IReadOnlyDictionary<string, int> WordFlaggedPerLayer, IReadOnlyDictionary<string, int> TruthFlaggedPerLayer);

/// <summary>The word rule against the truth at one IoU threshold (model "all": every audited unit).</summary>
public sealed record AuditThresholdReport(string Model, double IouThreshold, int WordFlagged, int TruthFlagged, int Both, double? Precision, double? Recall);

/// <summary>The face audit's key numbers (summary.json).</summary>
public sealed record AuditReport(string Rule, string Concept, double IouThreshold, IReadOnlyList<AuditModelReport> Models, IReadOnlyList<AuditThresholdReport> Thresholds);

public sealed record FaceAuditResult(
    IReadOnlyList<AuditedModel> Models,
    IReadOnlyList<AuditedUnit> Units,
    IReadOnlyList<AuditCount> Counts,
    IReadOnlyList<AuditThreshold> Thresholds,
    FaceAuditOptions Options)
{
    public const string AllLayers = "all";

    /// <summary>The key numbers, as written to summary.json.</summary>
    public AuditReport Report()
    {
        var models = Models.Select(m =>
        {
            var all = Counts.Single(c => c.Model == m.Name && c.Layer == AllLayers);
            var layers = Counts.Where(c => c.Model == m.Name && c.Layer != AllLayers).ToList();
            return new AuditModelReport(m.Name, all.Units, all.Agreement.Flagged, all.Agreement.Relevant, all.Agreement.Both,
                SummaryJson.Number(all.Agreement.Precision), SummaryJson.Number(all.Agreement.Recall),
                layers.ToDictionary(c => c.Layer, c => c.Agreement.Flagged), layers.ToDictionary(c => c.Layer, c => c.Agreement.Relevant));
        }).ToList();
        var thresholds = Thresholds.Select(t => new AuditThresholdReport(t.Model, t.Threshold, t.Agreement.Flagged, t.Agreement.Relevant, t.Agreement.Both,
            SummaryJson.Number(t.Agreement.Precision), SummaryJson.Number(t.Agreement.Recall))).ToList();
        return new AuditReport(Options.Rule.Name, Options.Concept, Options.IouThreshold, models, thresholds);
    }

    /// <summary>
    /// Writes summary.json (<see cref="Report"/>), units.csv (every unit: description, matched words, face IoU, both flags), counts.csv
    /// (per model and layer: units, word-flagged, truth-flagged, both, precision, recall),
    /// precision_recall.csv (per model and threshold), counts.html (flagged units per layer and
    /// model) and sheets/&lt;model&gt;/ (PNG exemplar sheets of flagged units with an index.html).
    /// </summary>
    public void Write(string folder)
    {
        CsvFile.Write(Path.Combine(folder, "units.csv"),
            ["model", "layer", "unit", "description", "matched_words", "word_flagged", "face_iou", "truth_flagged"],
            Units.Select(u => (IReadOnlyList<object?>)[u.Model, u.Unit.Layer, u.Unit.Unit, u.Unit.Description, string.Join(" ", u.MatchedWords), u.WordFlagged, u.FaceIou, u.TruthFlagged]));
        CsvFile.Write(Path.Combine(folder, "counts.csv"),
            ["model", "layer", "units", "word_flagged", "truth_flagged", "both", "precision", "recall"],
            Counts.Select(c => (IReadOnlyList<object?>)[c.Model, c.Layer, c.Units, c.Agreement.Flagged, c.Agreement.Relevant, c.Agreement.Both, c.Agreement.Precision, c.Agreement.Recall]));
        CsvFile.Write(Path.Combine(folder, "precision_recall.csv"),
            ["model", "iou_threshold", "word_flagged", "truth_flagged", "both", "precision", "recall"],
            Thresholds.Select(t => (IReadOnlyList<object?>)[t.Model, t.Threshold, t.Agreement.Flagged, t.Agreement.Relevant, t.Agreement.Both, t.Agreement.Precision, t.Agreement.Recall]));
        CountsFigure().SaveHtml(Path.Combine(folder, "counts.html"));
        SummaryJson.Write(folder, Report());
        if (Options.MaxSheetsPerModel <= 0) return;
        foreach (var model in Models)
        {
            var chosen = Units.Where(u => u.Model == model.Name && (u.WordFlagged || u.TruthFlagged))
                .OrderByDescending(u => u.WordFlagged).ThenByDescending(u => u.FaceIou).Take(Options.MaxSheetsPerModel)
                .Select(u => new SheetEntry(u.Unit.Id, $"\"{u.Unit.Description}\" · face IoU {u.FaceIou:F3} · {(u.WordFlagged ? "word rule" : "")}{(u.WordFlagged && u.TruthFlagged ? " + " : "")}{(u.TruthFlagged ? "ground truth" : "")}"))
                .ToList();
            if (chosen.Count > 0)
                ExemplarSheets.Write(model.ExemplarFolder, chosen, Path.Combine(folder, "sheets", model.Name), $"Face units of {model.Name}");
        }
    }

    public Figure CountsFigure()
    {
        var perLayer = Counts.Where(c => c.Layer != AllLayers).ToList();
        var layers = perLayer.Select(c => c.Layer).Distinct().ToList();
        var series = new List<BarSeries>();
        foreach (var model in Models)
        {
            double Value(string layer, Func<PrecisionRecall, int> pick) =>
                perLayer.Where(c => c.Model == model.Name && c.Layer == layer).Select(c => (double)pick(c.Agreement)).Sum();
            series.Add(new BarSeries($"{model.Name}: word rule", layers.Select(l => Value(l, a => a.Flagged)).ToList()));
            series.Add(new BarSeries($"{model.Name}: ground truth", layers.Select(l => Value(l, a => a.Relevant)).ToList()));
        }
        return Charts.Bars($"Face units per layer (word rule vs. face IoU ≥ {Options.IouThreshold})", "units", layers, series);
    }
}

/// <summary>
/// Face audit (paper §6, milan-spec §7.2): flag units whose description names a face word, and,
/// which the paper could only do by hand, check the flags against the world's ground truth (units
/// whose exemplar masks overlap the face masks of the probe images), per model and layer.
/// </summary>
public static class FaceAudit
{
    /// <summary><paramref name="probeSplit"/>: the world split the exemplars were computed on (its concepts.npy gives the face masks).</summary>
    public static FaceAuditResult Run(IReadOnlyList<AuditedModel> models, string probeSplit, FaceAuditOptions? options = null,
                                      IProgress<WorkProgress>? progress = null)
    {
        options ??= new FaceAuditOptions();
        if (models.Count == 0) throw new MilanInputException("no models to audit");
        if (models.Select(m => m.Name).Distinct().Count() != models.Count) throw new MilanInputException("audited models need distinct names");
        using var masks = new WorldConceptMasks(SimulatedAnnotation.ResolveSplit(probeSplit));
        var units = new List<AuditedUnit>();
        foreach (var model in models)
        {
            var iou = ConceptOverlap.Iou(model.ExemplarFolder, masks, options.Concept, progress);
            foreach (var description in model.Descriptions)
            {
                if (!iou.TryGetValue(description.Id, out double value))
                    throw MilanInputException.InFile(model.ExemplarFolder, $"unit {description.Id} is described but has no exemplars");
                units.Add(new AuditedUnit(model.Name, description, options.Rule.Matched(description.Description), value, value >= options.IouThreshold));
            }
        }

        var counts = new List<AuditCount>();
        var thresholds = new List<AuditThreshold>();
        foreach (var model in models)
        {
            var ofModel = units.Where(u => u.Model == model.Name).ToList();
            foreach (var layer in ofModel.Select(u => u.Unit.Layer).Distinct())
            {
                var ofLayer = ofModel.Where(u => u.Unit.Layer == layer).ToList();
                counts.Add(new AuditCount(model.Name, layer, ofLayer.Count, Agreement(ofLayer, options.IouThreshold)));
            }
            counts.Add(new AuditCount(model.Name, FaceAuditResult.AllLayers, ofModel.Count, Agreement(ofModel, options.IouThreshold)));
            foreach (var threshold in options.ReportedThresholds)
                thresholds.Add(new AuditThreshold(model.Name, threshold, Agreement(ofModel, threshold)));
        }
        foreach (var threshold in options.ReportedThresholds)
            thresholds.Add(new AuditThreshold(FaceAuditResult.AllLayers, threshold, Agreement(units, threshold)));
        return new FaceAuditResult(models, units, counts, thresholds, options);
    }

    private static PrecisionRecall Agreement(IEnumerable<AuditedUnit> units, double threshold) =>
        PrecisionRecall.Of(units.Select(u => (u.WordFlagged, u.FaceIou >= threshold)));
}
