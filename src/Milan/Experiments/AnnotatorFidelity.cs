using Milan.Annotations;
using Milan.Corpus;
using Milan.Evaluation;
using Milan.Language;
using Milan.World;

namespace Milan.Experiments;

/// <summary>One annotated exemplar folder of the world corpus: its exemplars, the probe split they index, its annotations.csv.</summary>
public sealed record AnnotatedDataset(string Name, string ExemplarFolder, string ProbeSplit, string AnnotationsCsv);

/// <summary>The ground-truth face and text units of one described dataset, per layer and threshold.</summary>
public sealed record DatasetTruthUnits(string Dataset, ConceptUnits Face, ConceptUnits Text);

/// <summary>
/// How faithful the simulated annotations are to the world's ground truth (docs/world.md,
/// "Annotator fidelity"), measured before any MILAN is trained. Ground-truth face units and text
/// units are those whose exemplar masks overlap the face or text masks with IoU at least
/// <see cref="IouThreshold"/> (the face audit's criterion, <see cref="ConceptOverlap"/>); an
/// annotation names a face (text) when the paper's face (text) word rule matches it.
/// </summary>
/// <param name="FaceWordShare">Share of the annotations of ground-truth face units that name a face word (null without such units).</param>
/// <param name="TextWordShare">Share of the annotations of ground-truth text units that name a text word (null without such units).</param>
/// <param name="ConsistentFaceUnits">Face units whose masks touch a face in at least <see cref="ConsistentShare"/> of their exemplars.</param>
/// <param name="ConsistentFaceWordShare">Share of those units' annotations that name a face word (null without such units).</param>
/// <param name="ConsistentTextUnits">Text units whose masks touch text in at least <see cref="ConsistentShare"/> of their exemplars.</param>
/// <param name="ConsistentTextWordShare">Share of those units' annotations that name a text word (null without such units).</param>
/// <param name="PositionOnlyShare">Share of all annotations that name only a position ("the top right corner", "things on the left").</param>
/// <param name="DistinctWords">Distinct words over all annotations (<see cref="DescriptionWords.Words"/>, as notebook 01 counts them).</param>
/// <param name="InterAnnotatorBleu">Corpus BLEU-4 of each annotation against the unit's other annotations.</param>
/// <param name="InterAnnotatorRougeL">Mean ROUGE-L F of each annotation against the unit's other annotations.</param>
/// <param name="PerDataset">The face and text units of each dataset at <see cref="ConceptUnits.DefaultThresholds"/> and per layer.</param>
/// <param name="FaceCeiling">The same people on ideal face units (<see cref="AnnotatorCeiling"/>), on the probe split with the most face units.</param>
/// <param name="TextCeiling">The same people on ideal text units, on the probe split with the most text units.</param>
/// <param name="FaceMisses">The annotations of the ground-truth face units that the face words do not match, with counts, most frequent first.</param>
/// <param name="TextMisses">The same for the text units and the text words.</param>
public sealed record AnnotatorFidelity(
    int Units, int Annotations, double IouThreshold,
    int FaceUnits, double? FaceWordShare,
    int TextUnits, double? TextWordShare,
    int ConsistentFaceUnits, double? ConsistentFaceWordShare,
    int ConsistentTextUnits, double? ConsistentTextWordShare,
    double PositionOnlyShare, int DistinctWords,
    double InterAnnotatorBleu, double InterAnnotatorRougeL,
    IReadOnlyList<DatasetTruthUnits> PerDataset,
    AnnotatorCeiling? FaceCeiling, AnnotatorCeiling? TextCeiling,
    IReadOnlyList<(string Summary, int Count)> FaceMisses, IReadOnlyList<(string Summary, int Count)> TextMisses)
{
    /// <summary>The face audit's ground-truth threshold (<see cref="FaceAuditOptions.IouThreshold"/>).</summary>
    public static readonly double DefaultIouThreshold = new FaceAuditOptions().IouThreshold;

    /// <summary>
    /// A ground-truth unit is "consistent" when its mask touches the concept in at least half of its
    /// exemplars. The IoU criterion alone also passes units whose masks fill a large face in a few
    /// exemplars and lie on other things in the rest; people shown those exemplars name the other
    /// things, so fidelity is also reported on the consistent units, to tell the annotators' errors
    /// from the criterion's.
    /// </summary>
    public const double ConsistentShare = 0.5;

    /// <summary>The described datasets of a world corpus built under <paramref name="dataRoot"/> (world-corpus.json).</summary>
    public static IReadOnlyList<AnnotatedDataset> CorpusDatasets(string dataRoot)
    {
        var manifest = WorldCorpusManifest.Read(dataRoot)
                       ?? throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), "no world corpus here; build it with 'milan milannotations build'");
        return manifest.Datasets.Select(d =>
        {
            string folder = Path.Combine(dataRoot, d.Key);
            return new AnnotatedDataset(d.Key, folder, Path.Combine(dataRoot, d.Value.Probe), Path.Combine(folder, AnnotationTable.FileName));
        }).ToList();
    }

    public static AnnotatorFidelity Measure(IReadOnlyList<AnnotatedDataset> datasets, double? iouThreshold = null, IProgress<WorkProgress>? progress = null)
    {
        double threshold = iouThreshold ?? DefaultIouThreshold;
        var annotated = new List<MeasuredUnit>();
        var perDataset = new List<DatasetTruthUnits>();
        foreach (var dataset in datasets)
        {
            using var masks = new WorldConceptMasks(SimulatedAnnotation.ResolveSplit(dataset.ProbeSplit));
            var face = ConceptOverlap.Measure(dataset.ExemplarFolder, masks, "face", progress);
            var text = ConceptOverlap.Measure(dataset.ExemplarFolder, masks, ConceptVocabulary.TextName, progress);
            perDataset.Add(new DatasetTruthUnits(dataset.Name, ConceptUnits.Count("face", ConceptOverlap.IouOf(face)), ConceptUnits.Count(ConceptVocabulary.TextName, ConceptOverlap.IouOf(text))));
            foreach (var rows in AnnotationTable.Read(dataset.AnnotationsCsv).Units)
            {
                var unit = new ModelUnit(rows.Layer, rows.Unit);
                if (!face.TryGetValue(unit, out var faceOverlap))
                    throw MilanInputException.InFile(dataset.AnnotationsCsv, $"unit {unit} (line {rows.FirstLine}) is annotated but has no exemplars in {dataset.ExemplarFolder}");
                var summaries = rows.Rows.Select(r => r.Summary).ToList();
                annotated.Add(new MeasuredUnit(dataset, new AnnotatedUnit(dataset.Name, unit.Layer, unit.Unit, summaries), faceOverlap, text[unit]));
            }
        }
        var all = annotated.SelectMany(a => a.Unit.Annotations).ToList();
        var comparable = Agreement.Comparable(annotated.Select(a => a.Unit));
        var scores = Agreement.InterAnnotator(comparable, new DescriptionMetrics(), progress);
        var indices = Enumerable.Range(0, comparable.Count).ToList();
        bool Unit(UnitConceptOverlap o) => o.Iou >= threshold;
        bool Consistent(UnitConceptOverlap o) => Unit(o) && o.CoveredShare >= ConsistentShare;
        var faceUnits = annotated.Where(a => Unit(a.Face)).Select(a => a.Unit).ToList();
        var textUnits = annotated.Where(a => Unit(a.Text)).Select(a => a.Unit).ToList();
        var consistentFace = annotated.Where(a => Consistent(a.Face)).Select(a => a.Unit).ToList();
        var consistentText = annotated.Where(a => Consistent(a.Text)).Select(a => a.Unit).ToList();
        return new AnnotatorFidelity(
            annotated.Count, all.Count, threshold,
            faceUnits.Count, Share(faceUnits, WordRule.FaceWords),
            textUnits.Count, Share(textUnits, WordRule.TextWords),
            consistentFace.Count, Share(consistentFace, WordRule.FaceWords),
            consistentText.Count, Share(consistentText, WordRule.TextWords),
            all.Count == 0 ? 0 : all.Count(ConceptPhrases.NamesOnlyPosition) / (double)all.Count,
            all.SelectMany(DescriptionWords.Words).Distinct().Count(),
            scores.Over(MetricNames.Bleu, indices), scores.Over(MetricNames.RougeL, indices), perDataset,
            Ceiling("face", WordRule.FaceWords, a => a.Face), Ceiling(ConceptVocabulary.TextName, WordRule.TextWords, a => a.Text),
            AnnotatorCeiling.Unmatched(faceUnits.SelectMany(u => u.Annotations), WordRule.FaceWords),
            AnnotatorCeiling.Unmatched(textUnits.SelectMany(u => u.Annotations), WordRule.TextWords));

        // The ceiling is measured where the truth units of the concept come from: the probe split with the most of them.
        AnnotatorCeiling? Ceiling(string concept, WordRule rule, Func<MeasuredUnit, UnitConceptOverlap> overlap)
        {
            string? split = annotated.GroupBy(a => a.Dataset.ProbeSplit)
                .OrderByDescending(g => g.Count(a => Unit(overlap(a)))).Select(g => g.Key).FirstOrDefault();
            return split is null ? null : AnnotatorCeiling.Measure(split, concept, rule);
        }
    }

    private sealed record MeasuredUnit(AnnotatedDataset Dataset, AnnotatedUnit Unit, UnitConceptOverlap Face, UnitConceptOverlap Text);

    private static double? Share(IEnumerable<AnnotatedUnit> units, WordRule rule)
    {
        var summaries = units.SelectMany(u => u.Annotations).ToList();
        return summaries.Count == 0 ? null : summaries.Count(s => rule.Matched(s).Count > 0) / (double)summaries.Count;
    }
}
