using System.Text.RegularExpressions;

namespace Milan.Notebooks.Tests.Support;

/// <summary>
/// Loads an HTML page in Debian's Chromium, headless and offline, and returns the DOM after its
/// scripts ran. A hook injected at the top of &lt;head&gt; records, in a &lt;pre id="milan-page-errors"&gt;
/// element, every script error (ErrorEvent) and every resource that failed to load (capturing
/// listener: load errors do not bubble), so that the test can tell "the page raised no script
/// error" from the dumped DOM. Every host name resolves to nothing, so the page gets no network.
/// </summary>
public static partial class HeadlessChromium
{
    private const string ErrorHook = """
        <script>(function () {
          function record(kind, text) {
            var el = document.getElementById('milan-page-errors');
            if (!el) { el = document.createElement('pre'); el.id = 'milan-page-errors'; (document.body || document.documentElement).appendChild(el); }
            el.appendChild(document.createTextNode(kind + ' ' + text + '\n'));
          }
          window.addEventListener('error', function (e) {
            if (e instanceof ErrorEvent) record('script-error', e.message + ' at ' + e.filename + ':' + e.lineno);
            else if (e.target && (e.target.src || e.target.href)) record('resource-error', e.target.src || e.target.href);
          }, true);
        })();</script>
        """;

    public sealed record Page(string Dom, IReadOnlyList<string> ScriptErrors, IReadOnlyList<string> FailedResources);

    /// <summary>Injects the error hook into <paramref name="html"/>, writes it to a file and renders it.</summary>
    public static Page Render(string html, string folder)
    {
        int head = html.IndexOf("<head>", StringComparison.OrdinalIgnoreCase);
        Assert.True(head >= 0, "the page has no <head>");
        string page = Path.Combine(folder, "page-" + Guid.NewGuid().ToString("N")[..8] + ".html");
        File.WriteAllText(page, html.Insert(head + "<head>".Length, ErrorHook));

        string profile = Path.Combine(folder, "chromium-profile-" + Guid.NewGuid().ToString("N")[..8]);
        var result = ProcessResult.Run(Tools.Chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
            "--virtual-time-budget=20000",
            "--dump-dom", new Uri(page).AbsoluteUri,
        ]);
        Assert.True(result.ExitCode == 0, $"chromium failed on {page}:\n{result.Output}");
        string dom = result.Output;
        var errors = Regex.Match(dom, @"<pre id=""milan-page-errors""[^>]*>(?<text>.*?)</pre>", RegexOptions.Singleline);
        var lines = errors.Success
            ? errors.Groups["text"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Net.WebUtility.HtmlDecode(l) ?? "").ToList()
            : [];
        return new Page(dom,
            lines.Where(l => l.StartsWith("script-error ", StringComparison.Ordinal)).ToList(),
            lines.Where(l => l.StartsWith("resource-error ", StringComparison.Ordinal)).Select(l => l["resource-error ".Length..]).ToList());
    }
}
