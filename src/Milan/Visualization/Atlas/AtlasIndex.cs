using System.Text.Json;
using System.Text.Json.Serialization;

namespace Milan.Visualization.Atlas;

/// <summary>One layer as the search index lists it.</summary>
public sealed record AtlasIndexLayer(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("layer")] string Layer,
    [property: JsonPropertyName("units")] int Units,
    [property: JsonPropertyName("page")] string Page);

/// <summary>One unit as the search index lists it: what is searched (model, layer, description, annotations) and where it links.</summary>
public sealed record AtlasIndexUnit(
    [property: JsonPropertyName("m")] string Model,
    [property: JsonPropertyName("l")] string Layer,
    [property: JsonPropertyName("u")] int Unit,
    [property: JsonPropertyName("d")] string? Description,
    [property: JsonPropertyName("a")] IReadOnlyList<string> Annotations,
    [property: JsonPropertyName("p")] string Page,
    [property: JsonPropertyName("t")] string Thumbnail);

/// <summary>
/// The atlas's search index: every layer and unit with the text that is searched and the pages and
/// thumbnails it links to (paths relative to the atlas root). It is written as a script that assigns
/// the JSON to <c>window.MILAN_ATLAS</c>, so that pages opened from file:// load it with a script tag
/// (browsers refuse fetch() of local files).
/// </summary>
public sealed record AtlasIndex(
    [property: JsonPropertyName("layers")] IReadOnlyList<AtlasIndexLayer> Layers,
    [property: JsonPropertyName("units")] IReadOnlyList<AtlasIndexUnit> Units)
{
    public const string Variable = "window.MILAN_ATLAS";

    public static AtlasIndex Of(IReadOnlyList<IAtlasLayer> layers) => new(
        layers.Select(l => new AtlasIndexLayer(l.Model, l.Name, l.Units.Count, AtlasPaths.LayerPage(l.Model, l.Name))).ToArray(),
        layers.SelectMany(l => l.Units.Select(u => new AtlasIndexUnit(
            l.Model, l.Name, u.Unit, u.Description, u.Annotations,
            AtlasPaths.UnitPage(l.Model, l.Name, u.Unit), AtlasPaths.Thumbnail(l.Model, l.Name, u.Unit)))).ToArray());

    /// <summary>The index as JSON (the default encoder escapes &lt;, &gt; and &amp;, so no text can close the script element).</summary>
    public string Json() => JsonSerializer.Serialize(this);

    public string Script() => $"{Variable} = {Json()};\n";

    /// <summary>Reads the JSON back from <see cref="Script"/>'s text.</summary>
    public static AtlasIndex ParseScript(string script)
    {
        string prefix = Variable + " = ";
        if (!script.StartsWith(prefix, StringComparison.Ordinal)) throw new FormatException($"expected the script to start with '{prefix}'");
        string json = script[prefix.Length..].TrimEnd().TrimEnd(';');
        return JsonSerializer.Deserialize<AtlasIndex>(json) ?? throw new FormatException("empty index");
    }
}
