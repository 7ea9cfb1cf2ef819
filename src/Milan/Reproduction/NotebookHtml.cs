using System.Diagnostics;
using Milan.IO;
using Milan.Visualization;

namespace Milan.Reproduction;

/// <summary>
/// Renders an executed notebook as HTML with Debian's nbconvert (<c>/usr/bin/jupyter-nbconvert</c>,
/// python3-nbconvert, installed by scripts/setup.sh), then points the charts' plotly.js at a copy
/// beside the page instead of the CDN, so the page draws its charts without a network (Debian's
/// page loads require.js from /usr/share/javascript).
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
        string local = $"plotly-{PlotlyJs.Version}.min";
        page = page.Replace($"https://cdn.plot.ly/{local}", local, StringComparison.Ordinal);
        string script = Path.Combine(folder, local + ".js");
        if (!File.Exists(script)) AtomicFile.WriteAllText(script, PlotlyJs.Source);
        AtomicFile.WriteAllText(html, page);
        return null;
    }
}
