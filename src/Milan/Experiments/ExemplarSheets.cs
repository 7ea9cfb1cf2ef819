using System.Net;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>A unit to show on a sheet, with the caption written under it on the index page.</summary>
public sealed record SheetEntry(ModelUnit Unit, string Caption);

/// <summary>
/// Exemplar sheets (PNG, <see cref="ExemplarSheet"/>) of chosen units of an exemplar folder, one file
/// per unit named <c>&lt;layer&gt;-&lt;unit&gt;.png</c>, and an index.html that shows them with captions.
/// </summary>
public static class ExemplarSheets
{
    public static void Write(string exemplarFolder, IReadOnlyList<SheetEntry> entries, string outFolder, string title)
    {
        Directory.CreateDirectory(outFolder);
        foreach (var layerGroup in entries.GroupBy(e => e.Unit.Layer))
        {
            string layerFolder = Path.Combine(exemplarFolder, layerGroup.Key);
            using var images = new NpyMappedArray(Path.Combine(layerFolder, ExemplarLayout.ImagesFile));
            using var masks = new NpyMappedArray(Path.Combine(layerFolder, ExemplarLayout.MasksFile));
            var rows = RowsOf(layerFolder, (int)images.Count);
            foreach (var entry in layerGroup)
            {
                if (!rows.TryGetValue(entry.Unit.Unit, out int row))
                    throw MilanInputException.InFile(layerFolder, $"unit {entry.Unit.Unit} has no exemplars");
                using var scope = NewDisposeScope();
                var png = ExemplarSheet.Png(images.Read(row), masks.Read(row));
                AtomicFile.WriteAllBytes(Path.Combine(outFolder, FileName(entry.Unit)), png);
            }
        }
        var html = new System.Text.StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title))
            .Append("</title></head><body>\n<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        foreach (var entry in entries)
            html.Append("<figure><img src=\"").Append(FileName(entry.Unit)).Append("\" alt=\"").Append(entry.Unit)
                .Append("\"><figcaption>").Append(WebUtility.HtmlEncode($"{entry.Unit}: {entry.Caption}")).Append("</figcaption></figure>\n");
        html.Append("</body></html>\n");
        AtomicFile.WriteAllText(Path.Combine(outFolder, "index.html"), html.ToString());
    }

    public static string FileName(ModelUnit unit) => $"{unit.Layer}-{unit.Unit}.png";

    /// <summary>Unit id → row of the layer's arrays (units.npy when present, else the row is the unit).</summary>
    private static Dictionary<int, int> RowsOf(string layerFolder, int count)
    {
        string unitsPath = Path.Combine(layerFolder, ExemplarLayout.UnitsFile);
        if (!File.Exists(unitsPath)) return Enumerable.Range(0, count).ToDictionary(u => u, u => u);
        var ids = Npy.ReadInt64(unitsPath, out _);
        return ids.Select((id, row) => (id, row)).ToDictionary(p => (int)p.id, p => p.row);
    }
}
