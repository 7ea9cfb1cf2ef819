using Milan.IO;
using Milan.Language;

namespace Milan.Evaluation;

/// <summary>
/// Agreement with annotators, on the same units for everyone:
/// <list type="bullet">
/// <item>inter-annotator: each annotation of a unit scored against the unit's other annotations;
/// the unit's value is the mean over its annotations (units with at least two annotations);</item>
/// <item>a method: its description of the unit scored against all of the unit's annotations
/// (the reference's protocol, milan-spec §6).</item>
/// </list>
/// BERTScore's idf comes from all annotations of the evaluated units in both cases, so the two are on
/// one scale. Intervals are percentile bootstraps over units, per group. Note that an annotation is
/// compared with one reference fewer than a method's description (it is not its own reference), which
/// slightly favours methods under "best over references" metrics.
/// </summary>
public static class Agreement
{
    /// <summary>The method name of the inter-annotator rows.</summary>
    public const string Annotators = "annotators";

    /// <summary>The units the comparison uses: at least two non-empty annotations after normalisation.</summary>
    public static IReadOnlyList<AnnotatedUnit> Comparable(IEnumerable<AnnotatedUnit> units) =>
        units.Select(u => u with { Annotations = u.Annotations.Where(a => MetricText.Normalize(a).Length > 0).ToList() })
             .Where(u => u.Annotations.Count >= 2).ToList();

    /// <summary>Each annotation against the others, per unit (units must be <see cref="Comparable"/>).</summary>
    public static UnitScores InterAnnotator(IReadOnlyList<AnnotatedUnit> units, DescriptionMetrics metrics, IProgress<WorkProgress>? progress = null)
    {
        if (units.Any(u => u.Annotations.Count < 2)) throw new MilanInputException("inter-annotator agreement needs at least two annotations per unit; filter with Agreement.Comparable");
        var candidates = units.Select(u => u.Annotations).ToList();
        var references = units.Select(u => (IReadOnlyList<IReadOnlyList<string>>)u.Annotations
            .Select((_, i) => (IReadOnlyList<string>)u.Annotations.Where((_, j) => j != i).ToList()).ToList()).ToList();
        return metrics.Score(candidates, references, units.SelectMany(u => u.Annotations).ToList(), progress);
    }

    /// <summary>A method's description of each unit (same order) against all of its annotations.</summary>
    public static UnitScores Method(IReadOnlyList<AnnotatedUnit> units, IReadOnlyList<string> descriptions, DescriptionMetrics metrics, IProgress<WorkProgress>? progress = null)
    {
        if (descriptions.Count != units.Count) throw new MilanInputException($"{descriptions.Count} descriptions for {units.Count} units; expected one per unit");
        var candidates = descriptions.Select(d => (IReadOnlyList<string>)[d]).ToList();
        var references = units.Select(u => (IReadOnlyList<IReadOnlyList<string>>)[u.Annotations]).ToList();
        return metrics.Score(candidates, references, units.SelectMany(u => u.Annotations).ToList(), progress);
    }

    /// <summary>
    /// Rows for the annotators and every method (descriptions keyed by <see cref="AnnotatedUnit.Key"/>),
    /// on the comparable units that every method describes: over all units, per model and per layer.
    /// </summary>
    public static IReadOnlyList<AgreementRow> Evaluate(IReadOnlyList<AnnotatedUnit> units, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> methods,
        DescriptionMetrics metrics, AgreementOptions? options = null, bool includeAnnotators = true, IProgress<WorkProgress>? progress = null)
    {
        options ??= new AgreementOptions();
        var comparable = Comparable(units).Where(u => methods.Values.All(m => m.ContainsKey(u.Key))).ToList();
        if (comparable.Count == 0)
            throw new MilanInputException("no unit has two or more annotations and a description from every method; check that the descriptions name the annotated units (layer, unit)");
        var scored = new List<(string Method, UnitScores Scores)>();
        if (includeAnnotators) scored.Add((Annotators, InterAnnotator(comparable, metrics, progress)));
        foreach (var (name, descriptions) in methods)
            scored.Add((name, Method(comparable, comparable.Select(u => descriptions[u.Key]).ToList(), metrics, progress)));
        return Rows(comparable, scored, options);
    }

    /// <summary>The table rows of scored units (all, per model, per layer), with intervals.</summary>
    public static IReadOnlyList<AgreementRow> Rows(IReadOnlyList<AnnotatedUnit> units, IReadOnlyList<(string Method, UnitScores Scores)> scored, AgreementOptions options)
    {
        var groups = new List<(string Scope, string Group, int[] Units)> { ("all", "all", Enumerable.Range(0, units.Count).ToArray()) };
        if (options.PerGroup)
        {
            foreach (var model in units.Select(u => u.Model).Distinct())
                groups.Add(("model", model, Enumerable.Range(0, units.Count).Where(i => units[i].Model == model).ToArray()));
            foreach (var (model, layer) in units.Select(u => (u.Model, u.Layer)).Distinct())
                groups.Add(("layer", $"{model}:{layer}", Enumerable.Range(0, units.Count).Where(i => units[i].Model == model && units[i].Layer == layer).ToArray()));
        }
        var rows = new List<AgreementRow>();
        foreach (var (method, scores) in scored)
            foreach (var metric in options.Metrics)
                foreach (var (scope, group, members) in groups)
                    rows.Add(new AgreementRow(method, metric, scope, group, scores.Interval(metric, members, options.Resamples, options.Seed)));
        return rows;
    }

    /// <summary>Writes rows as CSV: method,metric,scope,group,value,lower,upper,units (atomically).</summary>
    public static void WriteCsv(string path, IEnumerable<AgreementRow> rows) =>
        CsvFile.Write(path, ["method", "metric", "scope", "group", "value", "lower", "upper", "units"],
            rows.Select(r => new object?[] { r.Method, r.Metric, r.Scope, r.Group, r.Interval.Value, r.Interval.Lower, r.Interval.Upper, r.Interval.Count }));
}
