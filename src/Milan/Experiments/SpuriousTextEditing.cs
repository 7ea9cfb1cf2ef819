using Milan.Datasets;
using Milan.Language;
using static TorchSharp.torch;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Experiments;

/// <summary>Settings of the spurious-text editing experiment (defaults: milan-spec §7.3).</summary>
public sealed record EditingOptions
{
    /// <summary>The rule that picks candidate text units (default: text, word, letter as whole words).</summary>
    public WordRule Rule { get; init; } = WordRule.TextWords;

    /// <summary>Rules whose flag counts are reported besides <see cref="Rule"/> (default: the reference's substring rule).</summary>
    public IReadOnlyList<WordRule> ComparedRules { get; init; } = [WordRule.TextSubstringsAsReference];

    /// <summary>Largest number of units ablated (the reference: range(0, 50), so 49).</summary>
    public int MaxAblated { get; init; } = 49;

    /// <summary>Random selections of units (the reference: 5 trials).</summary>
    public int RandomTrials { get; init; } = 5;

    public long Seed { get; init; }

    /// <summary>A unit is a ground-truth text unit when its exemplar masks overlap the text masks with at least this IoU (<see cref="ConceptOverlap"/>; the face audit's threshold).</summary>
    public double TextIouThreshold { get; init; } = 0.1;

    public int BatchSize { get; init; } = ClassifierAccuracy.DefaultBatchSize;

    /// <summary>How image bytes become model input (the subject models': ImageNet statistics).</summary>
    public ImageNormalization Normalization { get; init; } = ImageNormalization.ImageNet;

    /// <summary>Validation images used (the first this many) to score units and along the curves, or null for all.</summary>
    public int? ValidationImages { get; init; }

    /// <summary>Test images used (the first this many), or null for all.</summary>
    public int? TestImages { get; init; }

    /// <summary>
    /// Sizes per profile. tiny: at most 5 units, 2 random trials, all images; demo: the reference's
    /// 0..49 units but 3 random trials and the first 500 validation and test images (cut so the demo's
    /// applications fit their time budget, docs/experiments.md); paper: the reference's (0..49, 5 trials, all images).
    /// </summary>
    public static EditingOptions For(Profile profile) => new()
    {
        MaxAblated = profile.Choose(5, 49, 49),
        RandomTrials = profile.Choose(2, 3, 5),
        ValidationImages = profile.Choose<int?>(null, 500, null),
        TestImages = profile.Choose<int?>(null, 500, null),
    };
}

/// <summary>Accuracy of a model on the splits the experiment reports.</summary>
public sealed record ModelAccuracy(string Model, string Split, Accuracy Accuracy)
{
    public const string Spurious = "spurious-text model";
    public const string Clean = "clean model";
    public const string SpuriousValidation = "spurious-text val";
    public const string AdversarialTest = "adversarial test";
    public const string CleanValidation = "clean val";
    public const string CleanTest = "clean test";
}

/// <summary>A point of an editing curve: val and adversarial-test accuracy with the first <see cref="Ablated"/> units of a condition zeroed.</summary>
public sealed record EditingPoint(string Condition, int Trial, int Ablated, Accuracy Validation, Accuracy Test);

/// <summary>
/// A unit of the edited model: description, rule flags, its importance score (validation accuracy with it alone zeroed)
/// and, when the ground truth is known, its exemplars' IoU with the text masks and whether that makes it a text unit.
/// </summary>
public sealed record EditedUnit(UnitDescription Unit, IReadOnlyDictionary<string, bool> Flags, Accuracy ValidationWithout, double? TextIou = null, bool TruthFlagged = false);

/// <summary>The best adversarial-accuracy gain of a condition (random: of its mean curve) and where it is reached.</summary>
public sealed record EditingSummary(string Condition, int Units, double BaseTest, double BestTest, double Gain, int BestAblated, double ValidationAtBest);

/// <summary>
/// The editing experiment's key numbers (summary.json): the baselines, how many units each rule
/// flags, and per condition the best adversarial-accuracy gain and at how many units.
/// </summary>
/// <param name="TruthUnits">Ground-truth text units (null when the truth is not known), and the candidate rule's precision and recall against them.</param>
public sealed record EditingReport(
    int Units, string CandidateRule, int Candidates, IReadOnlyDictionary<string, int> Flagged,
    IReadOnlyList<EditingBaselineReport> Baselines, IReadOnlyList<EditingSummary> Conditions,
    int? TruthUnits, int? CandidatesInTruth, double? Precision, double? Recall);

public sealed record EditingBaselineReport(string Model, string Split, int Correct, int Total, double Accuracy);

public sealed record SpuriousTextEditingResult(
    IReadOnlyList<ModelAccuracy> Baselines,
    IReadOnlyList<EditedUnit> Units,
    IReadOnlyList<string> Rules,
    string CandidateRule,
    IReadOnlyList<EditingPoint> Points,
    IReadOnlyList<EditingSummary> Summary)
{
    public const string SortSpurious = "sort-spurious";
    public const string SortAll = "sort-all";
    public const string Random = "random";

    /// <summary>The ground-truth text units, sorted like the candidates: the upper bound of what removing text units does.</summary>
    public const string SortTruth = "sort-truth";

    /// <summary>Whether the ground truth was given (the units' text IoU is known).</summary>
    public bool HasTruth => Units.Count > 0 && Units.All(u => u.TextIou is not null);

    /// <summary>The candidate rule's flags against the ground-truth text units (null without the truth).</summary>
    public PrecisionRecall? Agreement => HasTruth ? PrecisionRecall.Of(Units.Select(u => (u.Flags[CandidateRule], u.TruthFlagged))) : null;

    /// <summary>The key numbers, as written to summary.json.</summary>
    public EditingReport Report()
    {
        var agreement = Agreement;
        return new(
            Units.Count, CandidateRule, Units.Count(u => u.Flags[CandidateRule]),
            Rules.ToDictionary(r => r, r => Units.Count(u => u.Flags[r])),
            Baselines.Select(b => new EditingBaselineReport(b.Model, b.Split, b.Accuracy.Correct, b.Accuracy.Total, b.Accuracy.Value)).ToList(),
            Summary, agreement?.Relevant, agreement?.Both,
            agreement is { } a ? SummaryJson.Number(a.Precision) : null, agreement is { } b ? SummaryJson.Number(b.Recall) : null);
    }

    /// <summary>
    /// Writes summary.json (<see cref="Report"/>), baselines.csv (model, split, accuracy), units.csv (description, each rule's flag,
    /// validation accuracy without the unit), curves.csv (condition, trial, ablated, val and test
    /// accuracy), summary.csv (best adversarial gain per condition), flags.csv (units flagged per
    /// rule and layer) and curves.html (adversarial-test accuracy against units ablated).
    /// </summary>
    public void Write(string folder)
    {
        CsvFile.Write(Path.Combine(folder, "baselines.csv"), ["model", "split", "correct", "total", "accuracy"],
            Baselines.Select(b => (IReadOnlyList<object?>)[b.Model, b.Split, b.Accuracy.Correct, b.Accuracy.Total, b.Accuracy.Value]));
        CsvFile.Write(Path.Combine(folder, "units.csv"), ["layer", "unit", "description", .. Rules, "val_accuracy_without", "text_iou", "truth_flagged"],
            Units.Select(u => (IReadOnlyList<object?>)[u.Unit.Layer, u.Unit.Unit, u.Unit.Description, .. Rules.Select(r => (object?)u.Flags[r]), u.ValidationWithout.Value,
                                                      u.TextIou, HasTruth ? u.TruthFlagged : null]));
        CsvFile.Write(Path.Combine(folder, "curves.csv"), ["condition", "trial", "ablated", "val_accuracy", "test_accuracy"],
            Points.Select(p => (IReadOnlyList<object?>)[p.Condition, p.Trial, p.Ablated, p.Validation.Value, p.Test.Value]));
        CsvFile.Write(Path.Combine(folder, "summary.csv"), ["condition", "units", "base_test", "best_test", "gain", "best_ablated", "val_at_best"],
            Summary.Select(s => (IReadOnlyList<object?>)[s.Condition, s.Units, s.BaseTest, s.BestTest, s.Gain, s.BestAblated, s.ValidationAtBest]));
        var layers = Units.Select(u => u.Unit.Layer).Distinct().ToList();
        CsvFile.Write(Path.Combine(folder, "flags.csv"), ["rule", .. layers, "all"],
            Rules.Select(r => (IReadOnlyList<object?>)[r, .. layers.Select(l => (object?)Units.Count(u => u.Unit.Layer == l && u.Flags[r])), Units.Count(u => u.Flags[r])]));
        CurvesFigure().SaveHtml(Path.Combine(folder, "curves.html"));
        SummaryJson.Write(folder, Report());
    }

    /// <summary>Mean curve of a condition over its trials: (ablated, val, test).</summary>
    public IReadOnlyList<(int Ablated, double Validation, double Test)> Curve(string condition) =>
        Points.Where(p => p.Condition == condition).GroupBy(p => p.Ablated).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Average(p => p.Validation.Value), g.Average(p => p.Test.Value))).ToList();

    public Figure CurvesFigure()
    {
        var lines = new List<LineSeries>();
        foreach (var condition in new[] { SortSpurious, SortTruth, SortAll })
        {
            var curve = Curve(condition);
            if (curve.Count > 0) lines.Add(new LineSeries(condition, curve.Select(c => (double)c.Ablated).ToList(), curve.Select(c => c.Test).ToList()));
        }
        var random = Points.Where(p => p.Condition == Random).GroupBy(p => p.Ablated).OrderBy(g => g.Key).ToList();
        if (random.Count > 0)
            lines.Add(new LineSeries($"random (mean of {random[0].Count()})", random.Select(g => (double)g.Key).ToList(), random.Select(g => g.Average(p => p.Test.Value)).ToList(),
                random.Select(g => g.Min(p => p.Test.Value)).ToList(), random.Select(g => g.Max(p => p.Test.Value)).ToList()));
        return Charts.Lines($"Adversarial-test accuracy as units are ablated (candidates: {CandidateRule})", "units ablated", "adversarial-test accuracy", lines);
    }
}

/// <summary>
/// Spurious-text editing (paper §7, milan-spec §7.3). For a model trained where half the training
/// images carry their class name in the top-left corner: flag units whose description mentions
/// text, score every unit by validation accuracy with it alone zeroed, and ablate the first
/// 0..49 flagged units sorted by that score, highest first (least harmful first), measuring
/// validation and adversarial-test accuracy (every test image carries a wrong class name). The
/// baselines are the same sort over all units (truncated to as many units as were flagged) and
/// random units (several seeds).
/// </summary>
public static class SpuriousTextEditing
{
    /// <param name="model">The model trained on the spurious-text world.</param>
    /// <param name="descriptions">Its units' descriptions; their units are the ones scored and ablated.</param>
    /// <param name="validation">The validation split of the spurious-text world (training distribution: some images carry the right name).</param>
    /// <param name="adversarialTest">The adversarial test split (every image carries a wrong name).</param>
    /// <param name="baselines">Accuracies measured beforehand to report with the results (e.g. the clean model's), or empty.</param>
    /// <param name="textIou">
    /// The ground truth, when known: each unit's exemplar IoU with the text masks (<see cref="ConceptOverlap"/>). Units at or
    /// above <see cref="EditingOptions.TextIouThreshold"/> are text units, ablated as their own condition (<see cref="SpuriousTextEditingResult.SortTruth"/>).
    /// </param>
    public static SpuriousTextEditingResult Run(nn.Module<Tensor, Tensor> model, IReadOnlyList<UnitDescription> descriptions, LabelledImages validation,
                                                LabelledImages adversarialTest, IReadOnlyList<ModelAccuracy>? baselines = null,
                                                EditingOptions? options = null, IProgress<WorkProgress>? progress = null,
                                                IReadOnlyDictionary<ModelUnit, double>? textIou = null)
    {
        options ??= new EditingOptions();
        if (descriptions.Count == 0) throw new MilanInputException("no unit descriptions of the edited model");
        var rules = new[] { options.Rule }.Concat(options.ComparedRules.Where(r => r.Name != options.Rule.Name)).ToList();
        var units = descriptions.Select(d => d.Id).ToList();

        // Importance: validation accuracy with each unit alone zeroed.
        int scored = 0;
        var scores = ClassifierAccuracy.MeasureEachAblated(model, units, validation, options.BatchSize, options.Normalization,
            unitDone: i => progress?.Report(new WorkProgress("score units (val accuracy without each)", ++scored, units.Count, units[i].ToString())));
        double? Iou(ModelUnit unit) => textIou is null ? null
            : textIou.TryGetValue(unit, out double value) ? value : throw new MilanInputException($"unit {unit} is described but has no text overlap (no exemplars?)");
        var edited = descriptions.Select((d, i) => new EditedUnit(d, rules.ToDictionary(r => r.Name, r => r.Matches(d.Description)), scores[i],
                                                                  Iou(d.Id), Iou(d.Id) >= options.TextIouThreshold)).ToList();

        var candidates = Enumerable.Range(0, units.Count).Where(i => options.Rule.Matches(descriptions[i].Description)).ToList();
        var byScore = AblationOrder.ByScoreDescending(scores.Select(s => s.Value).ToList());
        var sortSpurious = candidates.OrderByDescending(i => scores[i].Value).ThenBy(i => i).ToArray();
        var conditions = new List<(string Condition, int Trial, int[] Order)>
        {
            (SpuriousTextEditingResult.SortSpurious, 0, sortSpurious),
            (SpuriousTextEditingResult.SortAll, 0, byScore.Take(candidates.Count).ToArray()),
        };
        if (textIou is not null)
            conditions.Add((SpuriousTextEditingResult.SortTruth, 0,
                Enumerable.Range(0, units.Count).Where(i => edited[i].TruthFlagged).OrderByDescending(i => scores[i].Value).ThenBy(i => i).ToArray()));
        for (int trial = 0; trial < options.RandomTrials; trial++)
            conditions.Add((SpuriousTextEditingResult.Random, trial, AblationOrder.Random(units.Count, options.Seed + trial).Take(candidates.Count).ToArray()));

        var baseValidation = ClassifierAccuracy.Measure(model, validation, options.BatchSize, options.Normalization);
        var baseTest = ClassifierAccuracy.Measure(model, adversarialTest, options.BatchSize, options.Normalization);
        var points = new List<EditingPoint>();
        int Steps(int[] order) => Math.Min(options.MaxAblated, order.Length);
        int total = conditions.Sum(c => Steps(c.Order)), done = 0;
        foreach (var (condition, trial, order) in conditions)
        {
            points.Add(new EditingPoint(condition, trial, 0, baseValidation, baseTest));
            for (int n = 1; n <= Steps(order); n++)
            {
                using var ablation = ClassifierAccuracy.Ablate(model, order.Take(n).Select(i => units[i]));
                var val = ClassifierAccuracy.Measure(model, validation, options.BatchSize, options.Normalization);
                var test = ClassifierAccuracy.Measure(model, adversarialTest, options.BatchSize, options.Normalization);
                points.Add(new EditingPoint(condition, trial, n, val, test));
                progress?.Report(new WorkProgress("edit", ++done, total, $"{condition} {n}: test {test}"));
            }
        }

        var summary = new List<EditingSummary>();
        var result = new SpuriousTextEditingResult(baselines ?? [], edited, rules.Select(r => r.Name).ToList(), options.Rule.Name, points, summary);
        foreach (var (condition, _, order) in conditions.DistinctBy(c => c.Condition))
        {
            var curve = result.Curve(condition);
            // The earliest point with the highest adversarial accuracy (0 units when nothing helps).
            var best = curve.OrderByDescending(c => c.Test).ThenBy(c => c.Ablated).First();
            summary.Add(new EditingSummary(condition, order.Length, baseTest.Value, best.Test, best.Test - baseTest.Value, best.Ablated, best.Validation));
        }
        return result;
    }
}
