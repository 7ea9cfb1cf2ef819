using System.Diagnostics;

namespace Milan.Tests.Support;

/// <summary>
/// Debian's Chromium (installed by scripts/setup.sh), headless and offline, for checking that pages
/// our code writes actually render: the DOM after the page's scripts ran, or a screenshot.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>The DOM of the page at <paramref name="htmlPath"/> (with <paramref name="query"/>, e.g. "?q=dog", appended to its file:// address).</summary>
    public static string DumpDom(string htmlPath, int timeoutSeconds = 60, string query = "") =>
        Run(["--dump-dom", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri + query], timeoutSeconds);

    /// <summary>Writes a PNG screenshot of the page, <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void Screenshot(string htmlPath, string pngPath, int width = 1200, int height = 900, string query = "", int timeoutSeconds = 60) =>
        Run(["--screenshot=" + Path.GetFullPath(pngPath), $"--window-size={width},{height}", "--hide-scrollbars",
             new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri + query], timeoutSeconds);

    private static string Run(IEnumerable<string> arguments, int timeoutSeconds)
    {
        string profile = Path.Combine(Path.GetTempPath(), "milan-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var flag in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--user-data-dir=" + profile, "--virtual-time-budget=5000",
                 }.Concat(arguments))
            start.ArgumentList.Add(flag);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Executable);
            var stdout = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {timeoutSeconds} s");
            }
            return stdout.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }
}
