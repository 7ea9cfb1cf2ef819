using System.Text.RegularExpressions;

namespace Milan.Annotations;

/// <summary>One layer in a <see cref="DatasetSummary"/>.</summary>
/// <param name="Units">Units stored in the layer's files.</param>
/// <param name="Samples">Units of this layer that are samples (after the annotation policy).</param>
public sealed record LayerSummary(string Name, int Units, int Samples, int ImagesPerUnit, int Size, bool HasImages, bool HasUnitsFile, bool HasImageIds);

/// <summary>
/// What <c>milan data info</c> shows about a dataset: units per layer, annotations per unit,
/// vocabulary size and example descriptions. The vocabulary here is a quick count with simple tokens
/// (lowercased runs of letters and digits, an inner apostrophe kept, punctuation dropped), not the
/// captioner's tokenizer, so its size differs somewhat from the captioner's vocabulary.
/// </summary>
/// <param name="AnnotationRows">Rows in annotations.csv (0 when absent).</param>
/// <param name="UnitsByAnnotationCount">How many units of the CSV have n annotations, before the policy: n → units.</param>
/// <param name="DroppedUnits">Annotated units dropped for having fewer than the annotation count.</param>
/// <param name="Vocabulary">Distinct tokens in the samples' annotations (after the policy).</param>
/// <param name="Tokens">Tokens in the samples' annotations.</param>
public sealed partial record DatasetSummary(
    string Name,
    string Folder,
    IReadOnlyList<LayerSummary> Layers,
    int Samples,
    bool Annotated,
    int? AnnotationCount,
    int AnnotationRows,
    IReadOnlyDictionary<int, int> UnitsByAnnotationCount,
    int DroppedUnits,
    int Vocabulary,
    long Tokens,
    IReadOnlyList<(UnitId Unit, string Annotation)> Examples)
{
    public static DatasetSummary Describe(TopImagesDataset dataset, int examples = 5)
    {
        var samplesPerLayer = dataset.Samples.GroupBy(s => s.Layer).ToDictionary(g => g.Key, g => g.Count());
        var layers = dataset.Layers.Select(l => new LayerSummary(l.Name, l.UnitCount, samplesPerLayer.GetValueOrDefault(l.Name), l.ImagesPerUnit, l.Size,
            l.HasImages, File.Exists(Path.Combine(l.Folder, TopImagesLayer.UnitsFile)), l.HasImageIds)).ToArray();

        var table = dataset.Annotations;
        var histogram = new SortedDictionary<int, int>();
        foreach (var unit in table?.Units ?? [])
            histogram[unit.Rows.Count] = histogram.GetValueOrDefault(unit.Rows.Count) + 1;
        int dropped = table is null || dataset.AnnotationCount is not int n ? 0 : table.Units.Count(u => u.Rows.Count < n);

        var vocabulary = new HashSet<string>(StringComparer.Ordinal);
        long tokens = 0;
        foreach (var annotation in dataset.Samples.SelectMany(s => s.Annotations))
            foreach (var token in Tokenize(annotation))
            {
                vocabulary.Add(token);
                tokens++;
            }

        var annotated = dataset.Samples.Where(s => s.Annotations.Count > 0).ToArray();
        int shown = Math.Min(examples, annotated.Length);
        var picked = Enumerable.Range(0, shown).Select(i => annotated[(int)((long)i * annotated.Length / shown)])
            .Select(s => (s.Id, s.Annotations[0])).ToArray();

        return new DatasetSummary(dataset.Name, dataset.Folder, layers, dataset.Samples.Count, table is not null, dataset.AnnotationCount,
            table?.Rows.Count ?? 0, histogram, dropped, vocabulary.Count, tokens, picked);
    }

    /// <summary>The simple tokens counted for <see cref="Vocabulary"/>.</summary>
    public static IEnumerable<string> Tokenize(string text) =>
        TokenPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*")]
    private static partial Regex TokenPattern();
}
