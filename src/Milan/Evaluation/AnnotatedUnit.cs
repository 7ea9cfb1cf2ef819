namespace Milan.Evaluation;

/// <summary>
/// A unit with its human (or simulated) annotations, the ground truth of every comparison.
/// <paramref name="Model"/> names the described model (a dataset key such as <c>resnet18/world-a</c>).
/// </summary>
public sealed record AnnotatedUnit(string Model, string Layer, int Unit, IReadOnlyList<string> Annotations)
{
    /// <summary>The key that matches a description to its unit: <c>model:layer:unit</c>.</summary>
    public string Key => KeyOf(Model, Layer, Unit);

    /// <summary>The key of a unit (see <see cref="Key"/>), for descriptions that come without annotations.</summary>
    public static string KeyOf(string model, string layer, int unit) => $"{model}:{layer}:{unit}";

    /// <summary>The units of loaded MILANNOTATIONS samples (their dataset name is the model).</summary>
    public static IReadOnlyList<AnnotatedUnit> From(IEnumerable<Milan.Annotations.TopImagesSample> samples) =>
        samples.Select(s => new AnnotatedUnit(s.Dataset, s.Layer, s.Unit, s.Annotations)).ToList();
}
