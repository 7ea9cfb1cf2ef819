using System.Globalization;
using System.Net;
using System.Text;

namespace Milan.Visualization.Atlas;

/// <summary>
/// The atlas's HTML pages: the start page (search over every unit, the list of models and layers), one
/// grid per layer (a thumbnail and the description of each unit, links to the model's other layers)
/// and one page per unit (its exemplars with masks, description, annotations, top images). Pages are
/// complete without the script; it only adds search.
/// </summary>
public static class AtlasPages
{
    public static string Start(AtlasIndex index)
    {
        var html = new StringBuilder();
        Open(html, "Atlas of units", AtlasPaths.IndexPage, "index");
        html.Append("<header><h1>Atlas of units</h1></header>\n");
        html.Append("<p><input id=\"search\" type=\"search\" placeholder=\"Search descriptions and annotations, e.g. dog face\" autofocus></p>\n");
        html.Append("<div id=\"count\"></div>\n<div id=\"results\" class=\"grid\"></div>\n");
        foreach (var model in index.Layers.GroupBy(l => l.Model))
        {
            html.Append("<h2>").Append(Text(model.Key)).Append("</h2>\n<table><tr><th>layer</th><th>units</th><th>described</th><th>annotated</th></tr>\n");
            foreach (var layer in model)
            {
                var units = index.Units.Where(u => u.Model == layer.Model && u.Layer == layer.Layer).ToArray();
                html.Append("<tr><td><a href=\"").Append(Attribute(layer.Page)).Append("\">").Append(Text(layer.Layer)).Append("</a></td><td>")
                    .Append(layer.Units.ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(units.Count(u => u.Description is not null).ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(units.Count(u => u.Annotations.Count > 0).ToString(CultureInfo.InvariantCulture)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        return Close(html, AtlasPaths.IndexPage);
    }

    public static string Layer(AtlasIndex index, string model, string layer)
    {
        string page = AtlasPaths.LayerPage(model, layer);
        var html = new StringBuilder();
        Open(html, $"{model} · {layer}", page, "layer");
        Header(html, index, model, layer, page, unit: null);
        html.Append("<p><input id=\"search\" type=\"search\" placeholder=\"Filter this layer's units by word\"> <a id=\"search-all\" href=\"")
            .Append(Attribute(AtlasPaths.RootFrom(page) + AtlasPaths.IndexPage)).Append("\">search every layer</a></p>\n<div id=\"count\"></div>\n<div class=\"grid\">\n");
        for (int i = 0; i < index.Units.Count; i++)
        {
            var unit = index.Units[i];
            if (unit.Model != model || unit.Layer != layer) continue;
            html.Append("<a class=\"unit\" data-i=\"").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\" href=\"")
                .Append(Attribute(Relative(page, unit.Page))).Append("\"><img src=\"").Append(Attribute(Relative(page, unit.Thumbnail)))
                .Append("\" alt=\"unit ").Append(unit.Unit.ToString(CultureInfo.InvariantCulture)).Append("\"><span class=\"id\">unit ")
                .Append(unit.Unit.ToString(CultureInfo.InvariantCulture)).Append("</span>");
            if (unit.Description is not null) html.Append("<span class=\"text\">").Append(Text(unit.Description)).Append("</span>");
            else if (unit.Annotations.Count > 0) html.Append("<span class=\"text annotation\">").Append(Text(unit.Annotations[0])).Append("</span>");
            html.Append("</a>\n");
        }
        html.Append("</div>\n");
        return Close(html, page);
    }

    public static string Unit(AtlasIndex index, string model, string layer, AtlasUnit unit, int exemplars)
    {
        string page = AtlasPaths.UnitPage(model, layer, unit.Unit);
        var html = new StringBuilder();
        string id = unit.Unit.ToString(CultureInfo.InvariantCulture);
        Open(html, $"{model} · {layer} · unit {id}", page, "unit");
        Header(html, index, model, layer, page, unit.Unit);
        html.Append("<p><img class=\"sheet\" src=\"").Append(Attribute(Relative(page, AtlasPaths.Sheet(model, layer, unit.Unit))))
            .Append("\" alt=\"the ").Append(exemplars.ToString(CultureInfo.InvariantCulture))
            .Append(" exemplars of unit ").Append(id).Append(", outside the mask dimmed, the mask outlined\"></p>\n");
        html.Append("<h2>Description</h2>\n");
        html.Append(unit.Description is null
            ? "<p class=\"missing\">none (describe the units with a MILAN trained on annotations and pass --descriptions)</p>\n"
            : $"<p id=\"description\">{Text(unit.Description)}</p>\n");
        html.Append("<h2>Annotations</h2>\n");
        if (unit.Annotations.Count == 0) html.Append("<p class=\"missing\">none</p>\n");
        else
        {
            html.Append("<ol id=\"annotations\">\n");
            foreach (var annotation in unit.Annotations) html.Append("<li>").Append(Text(annotation)).Append("</li>\n");
            html.Append("</ol>\n");
        }
        if (unit.ImageIds is not null || unit.Activations is not null)
        {
            bool named = unit.ImageNames is not null;
            html.Append("<h2>Top images</h2>\n<table><tr><th>rank</th><th>image index</th><th>activation</th>").Append(named ? "<th>image</th>" : "").Append("</tr>\n");
            int rows = Math.Max(unit.ImageIds?.Count ?? 0, unit.Activations?.Count ?? 0);
            for (int r = 0; r < rows; r++)
            {
                html.Append("<tr><td>").Append((r + 1).ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(unit.ImageIds is { } ids && r < ids.Count ? ids[r].ToString(CultureInfo.InvariantCulture) : "").Append("</td><td>")
                    .Append(unit.Activations is { } acts && r < acts.Count ? acts[r].ToString("G5", CultureInfo.InvariantCulture) : "").Append("</td>");
                if (unit.ImageNames is { } names) html.Append("<td>").Append(r < names.Count ? Text(names[r]) : "").Append("</td>");
                html.Append("</tr>\n");
            }
            html.Append("</table>\n");
        }
        return Close(html, page);
    }

    /// <summary>Breadcrumbs, the model's layers (links between layers) and, on a unit page, the previous and next unit.</summary>
    private static void Header(StringBuilder html, AtlasIndex index, string model, string layer, string page, int? unit)
    {
        string root = AtlasPaths.RootFrom(page);
        html.Append("<header><div class=\"crumbs\"><a href=\"").Append(Attribute(root + AtlasPaths.IndexPage)).Append("\">Atlas</a> › ")
            .Append(Text(model)).Append(" › ");
        if (unit is int id)
            html.Append("<a href=\"").Append(Attribute(Relative(page, AtlasPaths.LayerPage(model, layer)))).Append("\">").Append(Text(layer))
                .Append("</a> › unit ").Append(id.ToString(CultureInfo.InvariantCulture));
        else html.Append(Text(layer));
        html.Append("</div>\n<nav class=\"layers\">");
        foreach (var other in index.Layers.Where(l => l.Model == model))
        {
            if (other.Layer == layer && unit is null) html.Append("<span class=\"current\">").Append(Text(other.Layer)).Append("</span>");
            else html.Append("<a class=\"layer-link\" href=\"").Append(Attribute(Relative(page, other.Page))).Append("\">").Append(Text(other.Layer)).Append("</a>");
        }
        html.Append("</nav>\n");
        if (unit is int current)
        {
            var units = index.Units.Where(u => u.Model == model && u.Layer == layer).ToList();
            int at = units.FindIndex(u => u.Unit == current);
            html.Append("<p class=\"pager\">");
            if (at > 0) html.Append("<a rel=\"prev\" href=\"").Append(Attribute(Relative(page, units[at - 1].Page))).Append("\">← unit ").Append(units[at - 1].Unit.ToString(CultureInfo.InvariantCulture)).Append("</a>");
            if (at >= 0 && at + 1 < units.Count) html.Append("<a rel=\"next\" href=\"").Append(Attribute(Relative(page, units[at + 1].Page))).Append("\">unit ").Append(units[at + 1].Unit.ToString(CultureInfo.InvariantCulture)).Append(" →</a>");
            html.Append("</p>\n");
        }
        html.Append("</header>\n");
    }

    private static void Open(StringBuilder html, string title, string page, string kind)
    {
        string root = AtlasPaths.RootFrom(page);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Text(title)).Append("</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(Attribute(root + AtlasPaths.StyleSheet)).Append("\">\n</head>\n")
            .Append("<body data-page=\"").Append(kind).Append("\" data-root=\"").Append(Attribute(root)).Append("\">\n");
    }

    private static string Close(StringBuilder html, string page)
    {
        // The index before the script, both at the end: the page's elements exist when the script runs.
        string root = AtlasPaths.RootFrom(page);
        html.Append("<script src=\"").Append(Attribute(root + AtlasPaths.SearchIndex)).Append("\"></script>\n")
            .Append("<script src=\"").Append(Attribute(root + AtlasPaths.Script)).Append("\"></script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The link from the page at <paramref name="from"/> to <paramref name="to"/>, both relative to the root.</summary>
    public static string Relative(string from, string to) => AtlasPaths.RootFrom(from) + to;

    private static string Text(string text) => WebUtility.HtmlEncode(text);

    private static string Attribute(string text) => WebUtility.HtmlEncode(text);
}
