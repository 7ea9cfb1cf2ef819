using Milan.Models;
using static TorchSharp.torch;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Experiments;

/// <summary>A point of an ablation curve: accuracy with the first <see cref="Ablated"/> units of an order zeroed.</summary>
public sealed record AblationPoint(string Criterion, int Trial, double Fraction, int Ablated, Accuracy Accuracy);

/// <summary>A unit's description with its score under each criterion.</summary>
public sealed record ScoredUnit(UnitDescription Unit, IReadOnlyDictionary<string, double> Scores);

/// <summary>
/// How the units that a criterion ranks highest spread over layers: of the <see cref="Units"/> units
/// of the layer, <see cref="Nonzero"/> have a score above 0 (e.g. at least one adjective) and
/// <see cref="InTop"/> are among the units ablated at the largest fraction.
/// </summary>
public sealed record LayerCriterionCount(string Criterion, string Layer, int Units, int Nonzero, int InTop, double MeanScore);

/// <summary>
/// The ablation analysis' key numbers (summary.json): the accuracy curve of each criterion (random:
/// the mean over trials) at <see cref="Fractions"/>, the drop from the unablated accuracy at the largest
/// fraction, and per criterion and layer how many units score above 0.
/// </summary>
public sealed record AblationReport(
    int Units,
    int HeldOutImages,
    double Unablated,
    IReadOnlyList<double> Fractions,
    IReadOnlyList<int> Ablated,
    IReadOnlyDictionary<string, IReadOnlyList<double>> Curves,
    IReadOnlyDictionary<string, double> DropAtLargestFraction,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> NonzeroPerLayer);

/// <summary>The ablation analysis' results; <see cref="Write"/> saves them as CSV, figures and summary.json.</summary>
public sealed record AblationAnalysisResult(
    IReadOnlyList<ScoredUnit> Units,
    IReadOnlyList<string> Criteria,
    IReadOnlyList<AblationPoint> Points,
    IReadOnlyList<LayerCriterionCount> LayerCounts,
    Accuracy Unablated)
{
    public const string RandomCriterion = "random";

    /// <summary>The curve of a criterion (for random: the mean over trials) as (fraction, accuracy).</summary>
    public IReadOnlyList<(double Fraction, double Accuracy)> Curve(string criterion) =>
        Points.Where(p => p.Criterion == criterion).GroupBy(p => p.Fraction).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Average(p => p.Accuracy.Value))).ToList();

    /// <summary>The key numbers, as written to summary.json.</summary>
    public AblationReport Report()
    {
        var fractions = Points.Select(p => p.Fraction).Distinct().Order().ToList();
        var names = Criteria.Append(RandomCriterion).Where(c => Points.Any(p => p.Criterion == c)).ToList();
        var curves = names.ToDictionary(c => c, c => (IReadOnlyList<double>)Curve(c).Select(p => p.Accuracy).ToList());
        return new AblationReport(
            Units.Count, Unablated.Total, Unablated.Value, fractions,
            fractions.Select(f => Points.First(p => p.Fraction == f).Ablated).ToList(),
            curves,
            curves.ToDictionary(c => c.Key, c => Unablated.Value - c.Value[^1]),
            Criteria.ToDictionary(c => c, c => (IReadOnlyDictionary<string, int>)LayerCounts.Where(l => l.Criterion == c).ToDictionary(l => l.Layer, l => l.Nonzero)));
    }

    /// <summary>
    /// Writes summary.json (<see cref="Report"/>), scores.csv (unit, description, each criterion's score), curves.csv (criterion, trial,
    /// fraction, ablated, correct, total, accuracy), layers.csv (criterion, layer, units, nonzero,
    /// in_top, mean_score), accuracy.html (accuracy against the fraction ablated, one line per
    /// criterion, random as its mean with the min–max band) and layers.html (units per layer among
    /// each criterion's top).
    /// </summary>
    public void Write(string folder)
    {
        CsvFile.Write(Path.Combine(folder, "scores.csv"), ["layer", "unit", "description", .. Criteria],
            Units.Select(u => (IReadOnlyList<object?>)[u.Unit.Layer, u.Unit.Unit, u.Unit.Description, .. Criteria.Select(c => (object?)u.Scores[c])]));
        CsvFile.Write(Path.Combine(folder, "curves.csv"), ["criterion", "trial", "fraction", "ablated", "correct", "total", "accuracy"],
            Points.Select(p => (IReadOnlyList<object?>)[p.Criterion, p.Trial, p.Fraction, p.Ablated, p.Accuracy.Correct, p.Accuracy.Total, p.Accuracy.Value]));
        CsvFile.Write(Path.Combine(folder, "layers.csv"), ["criterion", "layer", "units", "nonzero", "in_top", "mean_score"],
            LayerCounts.Select(c => (IReadOnlyList<object?>)[c.Criterion, c.Layer, c.Units, c.Nonzero, c.InTop, c.MeanScore]));
        AccuracyFigure().SaveHtml(Path.Combine(folder, "accuracy.html"));
        LayersFigure().SaveHtml(Path.Combine(folder, "layers.html"));
        SummaryJson.Write(folder, Report());
    }

    public Figure AccuracyFigure()
    {
        var lines = new List<LineSeries>();
        foreach (var criterion in Criteria)
        {
            var curve = Curve(criterion);
            lines.Add(new LineSeries(criterion, curve.Select(c => c.Fraction).ToList(), curve.Select(c => c.Accuracy).ToList()));
        }
        var random = Points.Where(p => p.Criterion == RandomCriterion).GroupBy(p => p.Fraction).OrderBy(g => g.Key).ToList();
        if (random.Count > 0)
            lines.Add(new LineSeries($"random (mean of {random[0].Count()})", random.Select(g => g.Key).ToList(),
                random.Select(g => g.Average(p => p.Accuracy.Value)).ToList(),
                random.Select(g => g.Min(p => p.Accuracy.Value)).ToList(), random.Select(g => g.Max(p => p.Accuracy.Value)).ToList()));
        return Charts.Lines("Held-out accuracy as units are ablated in order of each criterion", "fraction of units ablated", "accuracy", lines);
    }

    public Figure LayersFigure()
    {
        var layers = LayerCounts.Select(c => c.Layer).Distinct().ToList();
        var bars = Criteria.Select(criterion => new BarSeries(criterion,
            layers.Select(layer => LayerCounts.Where(c => c.Criterion == criterion && c.Layer == layer).Select(c => (double)c.InTop / Math.Max(1, c.Units)).Sum()).ToList()));
        return Charts.Bars("Share of each layer's units among the units each criterion ablates first", "share of the layer's units", layers, bars);
    }
}

/// <summary>
/// Ablation analysis (paper §5, milan-spec §7.1): score every described unit by each criterion of
/// its description, ablate the units in decreasing order of score, a fraction of all units at a
/// time (0, 2, …, 18 %), and measure held-out accuracy; random orders are the baseline. Zeroing a
/// ResNet conv1 unit happens before its batch norm, as in the reference (<see cref="UnitAblation"/>).
/// </summary>
public static class AblationAnalysis
{
    public static AblationAnalysisResult Run(nn.Module<Tensor, Tensor> model, IReadOnlyList<UnitDescription> descriptions, LabelledImages heldOut,
                                             AblationOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        options ??= new AblationOptions();
        if (descriptions.Count == 0) throw new MilanInputException("no unit descriptions to analyse");
        var criteria = options.Criteria ?? DescriptionCriterion.Standard();
        var units = descriptions.Select(d => d.Id).ToList();

        var scored = descriptions.Select(d => new ScoredUnit(d, criteria.ToDictionary(c => c.Name, c => c.Score(d.Description)))).ToList();
        var orders = new List<(string Criterion, int Trial, int[] Order)>();
        foreach (var criterion in criteria)
            orders.Add((criterion.Name, 0, AblationOrder.ByScoreDescending(scored.Select(s => s.Scores[criterion.Name]).ToList())));
        for (int trial = 0; trial < options.RandomTrials; trial++)
            orders.Add((AblationAnalysisResult.RandomCriterion, trial, AblationOrder.Random(units.Count, options.Seed + trial)));

        var fractions = AblationOrder.Fractions(units.Count, options.FractionStep, options.MaxFraction);
        var unablated = ClassifierAccuracy.Measure(model, heldOut, options.BatchSize, options.Normalization);
        var points = new List<AblationPoint>();
        int total = orders.Count * fractions.Count, done = 0;
        foreach (var (criterion, trial, order) in orders)
        {
            foreach (var (fraction, count) in fractions)
            {
                // No ablation is the model itself: measured once, shared by every curve.
                var accuracy = count == 0 ? unablated
                    : ClassifierAccuracy.MeasureAblated(model, order.Take(count).Select(i => units[i]), heldOut, options.BatchSize, options.Normalization);
                points.Add(new AblationPoint(criterion, trial, fraction, count, accuracy));
                progress?.Report(new WorkProgress("ablation", ++done, total, $"{criterion} {fraction:P0}: {accuracy}"));
            }
        }

        int top = fractions[^1].Count;
        var layerCounts = new List<LayerCriterionCount>();
        var layers = units.Select(u => u.Layer).Distinct().ToList();
        foreach (var criterion in criteria)
        {
            var order = orders.First(o => o.Criterion == criterion.Name).Order;
            var topUnits = order.Take(top).Select(i => units[i]).ToHashSet();
            foreach (var layer in layers)
            {
                var inLayer = scored.Where(s => s.Unit.Layer == layer).ToList();
                layerCounts.Add(new LayerCriterionCount(criterion.Name, layer, inLayer.Count,
                    inLayer.Count(s => s.Scores[criterion.Name] > 0), inLayer.Count(s => topUnits.Contains(s.Unit.Id)),
                    inLayer.Average(s => s.Scores[criterion.Name])));
            }
        }
        return new AblationAnalysisResult(scored, criteria.Select(c => c.Name).ToList(), points, layerCounts, unablated);
    }
}
