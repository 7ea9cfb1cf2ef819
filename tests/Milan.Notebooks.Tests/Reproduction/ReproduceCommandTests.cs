using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;

namespace Milan.Notebooks.Tests.Reproduction;

/// <summary>
/// `milan reproduce --profile tiny` on empty roots: builds the tiny world corpus, executes the
/// repository's notebooks through Jupyter's nbclient with the real .NET Interactive kernel, and
/// writes the report; a second run skips every
/// step (the real-network step finds no photo folder in these roots and says so). Checks the
/// executed notebooks (no error output, nbformat-valid), every figure file the notebooks promise,
/// the report's links, and that one executed notebook's HTML draws its charts in headless Chromium
/// offline. 4 to 10 minutes on 2 shared cores.
/// </summary>
public sealed class ReproduceCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("milan-reproduce-test");

    private ProcessResult Reproduce(params string[] extra) => ProcessResult.Run(Tools.DotNet,
    [
        Tools.CliAssembly, "reproduce", "--profile", "tiny", "--device", "cpu",
        "--data-dir", _folder.File("data"), "--models-dir", _folder.File("models"), "--results-dir", Results, .. extra,
    ], limit: TimeSpan.FromMinutes(25)); // corpus build + MILAN training: minutes when the machine's 2 cores are shared

    private string Results => _folder.File("results");

    /// <summary>Figure files each notebook saves (exemplar sheets are named after the units chosen, so they are counted).</summary>
    private static readonly Dictionary<string, (string[] Charts, (string Prefix, int Count)[] Sheets)> ExpectedFigures = new()
    {
        ["01-milannotations"] = (["units-per-layer.html", "description-length.html", "top-words.html"], [("exemplars-resnet18-world-a-", 3)]),
        ["02-human-agreement"] = (["training.html", "agreement.html", "pmi-lambda.html", "pmi-diagnosis.html", "pmi-beam-width.html"], [("agrees-", 3), ("disagrees-", 3)]),
        ["03-ablation-analysis"] = (["accuracy.html", "layers.html"], []),
        ["04-face-audit"] = (["counts.html"], []),
        ["05-spurious-text-editing"] = (["curves.html"], []),
        ["06-your-onnx-model"] = ([], [("layer4-unit_", 1)]),
    };

    [Fact]
    public void A_tiny_reproduction_runs_every_notebook_without_errors_writes_the_report_and_skips_everything_on_rerun()
    {
        var first = Reproduce();

        Assert.True(first.ExitCode == 0, first.Output);
        foreach (var (name, (charts, sheets)) in ExpectedFigures)
        {
            string executed = Path.Combine(Results, "notebooks", name + ".ipynb");
            var notebook = JsonNode.Parse(File.ReadAllText(executed))!;
            var errors = notebook["cells"]!.AsArray().SelectMany(c => c!["outputs"] as JsonArray ?? [])
                .Where(o => (string?)o!["output_type"] == "error").Select(o => (string?)o!["evalue"]).ToList();
            Assert.True(errors.Count == 0, $"{name}: {string.Join("\n", errors)}");
            Assert.DoesNotContain(notebook["cells"]!.AsArray(), c => (string?)c!["cell_type"] == "code" && c["execution_count"] is null);
            DebianNotebookTools.AssertValidAndConvertible(executed);
            Assert.True(File.Exists(Path.Combine(Results, "notebooks", name + ".html")), $"{name}: no HTML rendering");

            string figures = Path.Combine(Results, "figures", name);
            foreach (string chart in charts) Assert.True(File.Exists(Path.Combine(figures, chart)), $"{name}: {chart} missing");
            foreach (var (prefix, count) in sheets)
                Assert.Equal(count, Directory.GetFiles(figures, prefix + "*.png").Length);
            Assert.True(File.Exists(Path.Combine(figures, "key-numbers.json")), $"{name}: key numbers missing");
        }
        // The HTML of an executed notebook draws its charts offline with the one plotly.js beside it.
        string pages = Path.Combine(Results, "notebooks");
        Assert.Equal(["plotly.js"], Directory.GetFiles(pages, "*.js").Select(Path.GetFileName));
        var page = HeadlessChromium.Render(File.ReadAllText(Path.Combine(pages, "03-ablation-analysis.html")), pages);
        Assert.Empty(page.ScriptErrors);
        // Only the kernel's own bootstrap (first cell: its HTTP API, gone once the kernel ended) and
        // MathJax (not installed) fail; plotly.js and require.js load from local files.
        Assert.All(page.FailedResources, r => Assert.True(r.EndsWith("resources/dotnet-interactive.js", StringComparison.Ordinal) || r.Contains("mathjax", StringComparison.Ordinal), r));
        Assert.Contains("class=\"main-svg\"", page.Dom);
        // plotly.js marks each chart it drew; an undrawn chart keeps the bare class and a message
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(page.Dom, "class=\"milan-chart js-plotly-plot\"").Count);

        string report = File.ReadAllText(Path.Combine(Results, "report", "index.html"));
        Assert.Contains("not the paper&#39;s results and not human data", report);
        Assert.Contains("href=\"../notebooks/01-milannotations.ipynb\"", report);
        Assert.Contains("href=\"../notebooks/02-human-agreement.html\"", report);
        Assert.Contains("href=\"../figures/02-human-agreement/pmi-lambda.html\"", report);
        Assert.Contains(">held-out units described</td>", report);
        Assert.Contains(">resnet18-world-a test accuracy</td>", report);
        Assert.Contains(">table2: resnet18/world-a, annotators</td>", report);
        Assert.Contains(">ablation: unablated accuracy</td>", report);
        Assert.Contains(">annotator fidelity: annotations naming only a position</td>", report);
        Assert.True(File.Exists(Path.Combine(Results, "evaluation", "table3", "summary.json")));
        // The repository's notebooks are committed without outputs: the run wrote elsewhere.
        var source = JsonNode.Parse(File.ReadAllText(Path.Combine(Tools.Repository, "notebooks", "01-milannotations.ipynb")))!;
        Assert.All(source["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"), c => Assert.Empty(c!["outputs"]!.AsArray()));

        var second = Reproduce();

        Assert.True(second.ExitCode == 0, second.Output);
        var steps = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, "report", "reproduce.json")))!["steps"]!.AsArray();
        // corpus, tables, real-network (no photo folder in these roots), atlas (always drawn again), notebooks
        Assert.Equal(["skipped", "skipped", "skipped", "done", "skipped"], steps.Select(s => (string?)s!["status"]));
    }

    [Fact]
    public void The_paper_profile_without_its_inputs_lists_them_and_starts_nothing()
    {
        string empty = _folder.File("empty");
        var run = ProcessResult.Run(Tools.DotNet, [Tools.CliAssembly, "reproduce", "--profile", "paper",
            "--data-dir", Path.Combine(empty, "data"), "--models-dir", Path.Combine(empty, "models"), "--results-dir", Results]);

        Assert.Equal(1, run.ExitCode);
        string text = System.Text.RegularExpressions.Regex.Replace(run.Output, @"\s+", " ");
        Assert.Contains("inputs are missing, so nothing was started", text);
        Assert.Contains("MILANNOTATIONS alexnet/imagenet", text);
        Assert.Contains("milan-base.pth", text);
        Assert.False(Directory.Exists(Results));
    }

    public void Dispose() => _folder.Dispose();
}
