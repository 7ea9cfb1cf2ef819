using System.Globalization;
using System.Text;

namespace Milan.Visualization.Atlas;

/// <summary>
/// Where the atlas puts its files, relative to its root (always with '/', as links need):
/// <code>
/// index.html, atlas.css, atlas.js, atlas-index.js     start page, style, script, search index
/// m/&lt;model&gt;/&lt;layer&gt;/index.html                       the layer's grid of units
/// m/&lt;model&gt;/&lt;layer&gt;/unit_NNNN.html                   one unit
/// m/&lt;model&gt;/&lt;layer&gt;/sheets/unit_NNNN.jpg            its exemplars with masks
/// m/&lt;model&gt;/&lt;layer&gt;/thumbs/unit_NNNN.jpg            its first exemplars, small
/// </code>
/// Model and layer names become folder names with every character outside [A-Za-z0-9._-] replaced by '_'.
/// </summary>
public static class AtlasPaths
{
    public const string IndexPage = "index.html";
    public const string StyleSheet = "atlas.css";
    public const string Script = "atlas.js";
    public const string SearchIndex = "atlas-index.js";

    public static string Slug(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (char c in name) text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        string slug = text.ToString();
        return slug is "" or "." or ".." ? "_" + slug : slug;
    }

    public static string LayerFolder(string model, string layer) => $"m/{Slug(model)}/{Slug(layer)}";

    public static string LayerPage(string model, string layer) => $"{LayerFolder(model, layer)}/{IndexPage}";

    public static string UnitPage(string model, string layer, int unit) => $"{LayerFolder(model, layer)}/{UnitName(unit)}.html";

    public static string Sheet(string model, string layer, int unit) => $"{LayerFolder(model, layer)}/sheets/{UnitName(unit)}.jpg";

    public static string Thumbnail(string model, string layer, int unit) => $"{LayerFolder(model, layer)}/thumbs/{UnitName(unit)}.jpg";

    /// <summary>The way back to the root from a page at <paramref name="page"/> (e.g. "../../../").</summary>
    public static string RootFrom(string page) => string.Concat(Enumerable.Repeat("../", page.Count(c => c == '/')));

    private static string UnitName(int unit) => "unit_" + unit.ToString("D4", CultureInfo.InvariantCulture);
}
