using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Milan.IO;

namespace Milan.Reproduction;

/// <summary>
/// <c>&lt;results&gt;/report/index.html</c>: one self-contained page (inline style, no script, no
/// network) with the steps and their times, the key numbers every step returned, the executed
/// notebooks (and their HTML renderings) and every figure file under the results folder, linked
/// relatively so the results folder can be moved or archived whole. Beside it, <c>reproduce.json</c>
/// holds the same run for programs.
/// </summary>
public static class ReproductionReport
{
    public const string Label =
        "Results on the bundled procedural world, described by simulated annotators: a small-scale analogue of the paper's "
        + "experiments, not the paper's results and not human data. The real-network step's exemplars come from a real ImageNet "
        + "ResNet18 on photographs from Debian packages and carry no descriptions.";

    public const string PaperLabel =
        "Paper profile: the MILANNOTATIONS folders, milan-base.pth and roberta-large found under the data and models roots "
        + "(the paper's data and models only when these are the downloads of docs/reproduce.md). Each number is shown beside "
        + "the figure the paper reports (ICLR 2022 submission, milan-spec §8), where there is one.";

    /// <summary>The label of a run's results: <see cref="PaperLabel"/> for the paper profile, else <see cref="Label"/>.</summary>
    public static string LabelFor(Profile profile) => profile == Profile.Paper ? PaperLabel : Label;

    private static readonly string[] FigureExtensions = [".png", ".svg", ".html", ".jpg"];

    public static string Folder(string resultsRoot) => Path.Combine(resultsRoot, "report");

    public static string IndexPath(string resultsRoot) => Path.Combine(Folder(resultsRoot), "index.html");

    public static void Write(ReproductionRun run)
    {
        string folder = Folder(run.Roots.Results);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(IndexPath(run.Roots.Results), Html(run));
        AtomicFile.WriteAllText(Path.Combine(folder, "reproduce.json"), JsonSerializer.Serialize(new
        {
            profile = run.Profile.Name,
            device = run.Device,
            started = run.Started,
            wall_seconds = run.WallSeconds,
            roots = run.Roots,
            steps = run.Steps,
        }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    }

    /// <summary>Every figure file under the results root (outside report/ and notebooks/), relative to it, sorted.</summary>
    public static IReadOnlyList<string> Figures(string resultsRoot)
    {
        if (!Directory.Exists(resultsRoot)) return [];
        return Directory.EnumerateFiles(resultsRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(resultsRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => FigureExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Where(f => !f.StartsWith("report/", StringComparison.Ordinal) && !f.StartsWith("notebooks/", StringComparison.Ordinal)
                        && !f.StartsWith(AtlasStep.Name + "/", StringComparison.Ordinal))
            .Where(f => !f.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string Html(ReproductionRun run)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>milan reproduce: ")
            .Append(E(run.Profile.Name)).Append(" profile</title>\n<style>\n").Append(Style).Append("</style>\n</head><body>\n");
        html.Append("<h1>milan reproduce &mdash; ").Append(E(run.Profile.Name)).Append(" profile</h1>\n");
        html.Append("<p class=\"label\">").Append(E(LabelFor(run.Profile))).Append("</p>\n");
        html.Append("<p>Started ").Append(E(run.Started.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(" on ").Append(E(run.Device)).Append(", ").Append(Seconds(run.WallSeconds)).Append(" in all. Data: <code>")
            .Append(E(run.Roots.Data)).Append("</code>, models: <code>").Append(E(run.Roots.Models)).Append("</code>, results: <code>")
            .Append(E(run.Roots.Results)).Append("</code>.</p>\n");

        html.Append("<h2>Steps</h2>\n<table><tr><th>step</th><th>what</th><th>status</th><th>wall time</th><th>message</th></tr>\n");
        foreach (var step in run.Steps)
            html.Append("<tr><td>").Append(E(step.Name)).Append("</td><td>").Append(E(step.Description)).Append("</td><td class=\"")
                .Append(step.Succeeded ? "ok" : "bad").Append("\">").Append(E(step.Status)).Append("</td><td class=\"num\">")
                .Append(Seconds(step.WallSeconds)).Append("</td><td>").Append(E(step.Message ?? "")).Append("</td></tr>\n");
        html.Append("</table>\n<p class=\"note\">A skipped step found its outputs complete; its time is the check, not the original work.</p>\n");

        html.Append("<h2>Key numbers</h2>\n<p class=\"label\">").Append(E(LabelFor(run.Profile))).Append("</p>\n");
        html.Append("<table><tr><th>step</th><th>quantity</th><th>value</th><th>note</th></tr>\n");
        foreach (var step in run.Steps)
            foreach (var number in step.Numbers)
                html.Append("<tr><td>").Append(E(step.Name)).Append("</td><td>").Append(E(number.Name)).Append("</td><td class=\"num\">")
                    .Append(E(number.Value)).Append("</td><td>").Append(E(number.Note ?? "")).Append("</td></tr>\n");
        html.Append("</table>\n");

        AppendNotebooks(html, run.Roots.Results);
        AppendAtlases(html, run.Roots);
        AppendFigures(html, run.Roots.Results);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendNotebooks(StringBuilder html, string results)
    {
        string folder = NotebookStep.OutputFolder(results);
        var notebooks = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList() : [];
        html.Append("<h2>Notebooks</h2>\n");
        if (notebooks.Count == 0)
        {
            html.Append("<p>No executed notebooks yet.</p>\n");
            return;
        }
        html.Append("<table><tr><th>notebook</th><th>rendered</th><th>status</th><th>code cells</th><th>cells with errors</th><th>run time</th></tr>\n");
        foreach (string notebook in notebooks)
        {
            string name = Path.GetFileNameWithoutExtension(notebook);
            var record = NotebookRunRecord.Read(Path.Combine(folder, name + ".run.json"));
            bool rendered = File.Exists(Path.Combine(folder, name + ".html"));
            html.Append("<tr><td><a href=\"../notebooks/").Append(U(name)).Append(".ipynb\">").Append(E(name)).Append(".ipynb</a></td><td>")
                .Append(rendered ? $"<a href=\"../notebooks/{U(name)}.html\">HTML</a>" : "&mdash;").Append("</td>");
            if (record is null) html.Append("<td colspan=\"4\">no run record</td></tr>\n");
            else
                html.Append("<td class=\"").Append(record.Status == "ok" ? "ok" : "bad").Append("\">").Append(E(record.Status))
                    .Append("</td><td class=\"num\">").Append(record.ExecutedCells).Append('/').Append(record.CodeCells)
                    .Append("</td><td class=\"num\">").Append(record.FailedCells).Append("</td><td class=\"num\">")
                    .Append(Seconds(record.Seconds)).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>Links to the atlases the atlas step wrote (their thousands of pictures are not listed as figures).</summary>
    private static void AppendAtlases(StringBuilder html, ReproductionRoots roots)
    {
        var atlases = new[] { AtlasStep.WorldAtlas(roots), AtlasStep.RealNetworkAtlas(roots) }.Where(Directory.Exists).ToList();
        if (atlases.Count == 0) return;
        html.Append("<h2>Atlas of units</h2>\n<ul>\n");
        foreach (var atlas in atlases)
        {
            string relative = Path.GetRelativePath(roots.Results, atlas).Replace(Path.DirectorySeparatorChar, '/');
            html.Append("<li><a href=\"../").Append(string.Join('/', relative.Split('/').Select(U))).Append("/index.html\">")
                .Append(E(relative)).Append("</a></li>\n");
        }
        html.Append("</ul>\n");
    }

    private static void AppendFigures(StringBuilder html, string results)
    {
        var figures = Figures(results);
        html.Append("<h2>Figures</h2>\n");
        if (figures.Count == 0)
        {
            html.Append("<p>No figure files under the results folder.</p>\n");
            return;
        }
        foreach (var group in figures.GroupBy(f => f.Contains('/') ? f[..f.LastIndexOf('/')] : "."))
        {
            html.Append("<h3>").Append(E(group.Key)).Append("</h3>\n<div class=\"figures\">\n");
            foreach (string figure in group)
            {
                string href = "../" + string.Join('/', figure.Split('/').Select(U));
                string file = figure[(figure.LastIndexOf('/') + 1)..];
                if (Path.GetExtension(figure) is ".html")
                    html.Append("<div class=\"figure chart\"><a href=\"").Append(href).Append("\">").Append(E(file)).Append("</a><br><span class=\"note\">interactive chart</span></div>\n");
                else
                    html.Append("<div class=\"figure\"><a href=\"").Append(href).Append("\"><img src=\"").Append(href).Append("\" alt=\"")
                        .Append(E(file)).Append("\" loading=\"lazy\"></a><br>").Append(E(file)).Append("</div>\n");
            }
            html.Append("</div>\n");
        }
    }

    private static string Seconds(double seconds) => seconds < 60
        ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {seconds % 60:00} s");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string U(string segment) => Uri.EscapeDataString(segment);

    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 80em; color: #222; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.ok { color: #176317; } td.bad { color: #a11; font-weight: bold; }
        .label { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.5em 0.8em; }
        .note { color: #666; font-size: 0.9em; }
        .figures { display: flex; flex-wrap: wrap; gap: 1em; }
        .figure { max-width: 24em; font-size: 0.85em; word-break: break-all; }
        .figure img { max-width: 24em; max-height: 18em; border: 1px solid #ddd; image-rendering: pixelated; }
        .chart { border: 1px solid #ddd; padding: 0.8em; }
        code { font-size: 0.9em; }

        """;
}
