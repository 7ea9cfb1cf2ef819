using System.Diagnostics;

namespace Milan.Tests.Support;

/// <summary>
/// Debian's Chromium (installed by scripts/setup.sh), headless and offline, for checking that pages
/// our code writes actually render. Returns the DOM after the page's scripts ran.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    public static string DumpDom(string htmlPath, int timeoutSeconds = 60)
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
                     "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                     new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
                 })
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
