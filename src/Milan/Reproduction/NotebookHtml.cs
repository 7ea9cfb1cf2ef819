using System.Diagnostics;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Reproduction;

/// <summary>
/// Renders an executed notebook as HTML with Debian's nbconvert (<c>/usr/bin/jupyter-nbconvert</c>,
/// python3-nbconvert, installed by scripts/setup.sh). A page with charts (the HTML outputs of
/// <see cref="Figure"/>) loads the one copy of plotly.js beside it, so it draws its charts without
/// a network (Debian's page loads require.js from /usr/share/javascript).
/// </summary>
public static class NotebookHtml
{
    public const string NbConvert = "/usr/bin/jupyter-nbconvert";

    /// <summary>Writes <paramref name="html"/>; returns null on success, else why there is no rendering.</summary>
    public static string? Render(string notebook, string html)
    {
        if (!File.Exists(NbConvert)) return $"{NbConvert} not found (apt-get install python3-nbconvert)";
        string folder = Path.GetDirectoryName(Path.GetFullPath(html))!;
        string temporary = Path.Combine(folder, $".partial-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(NbConvert) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--to", "html", notebook, "--output-dir", folder, "--output", Path.GetFileName(temporary) })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {NbConvert}");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string written = temporary + ".html";
        if (process.ExitCode != 0 || !File.Exists(written))
        {
            File.Delete(written);
            var lines = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return $"nbconvert exit code {process.ExitCode}: {(lines.Length > 0 ? lines[^1] : "no message")}";
        }
        string page = File.ReadAllText(written);
        File.Delete(written);
        int head = page.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        if (page.Contains("class=\"milan-chart\"", StringComparison.Ordinal) && head >= 0)
        {
            // Before require.js, which the page loads next: plotly.js then sets the global Plotly
            // that the charts' HTML outputs draw with, instead of registering as an AMD module.
            PlotlyJs.EnsureIn(folder);
            head += "<head>".Length;
            page = page[..head] + $"\n<script type=\"text/javascript\" src=\"{PlotlyJs.FileName}\"></script>" + page[head..];
        }
        AtomicFile.WriteAllText(html, page);
        return null;
    }
}
