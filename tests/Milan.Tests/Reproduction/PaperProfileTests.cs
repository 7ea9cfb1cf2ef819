using System.Text.Json.Nodes;
using Milan.Reproduction;
using Milan.Tests.Support;

namespace Milan.Tests.Reproduction;

/// <summary>
/// `milan reproduce --profile paper` end to end: on empty roots it lists every missing input and exits 1;
/// on a miniature paper world (tools/reference-milan/make_paper_world.py: two MILANNOTATIONS keys in the
/// published layout, one without its ImageNet images, a few source JPEGs, a reference-format
/// milan-base.pth and a tiny roberta-large) it runs every step and writes the report, and a second run
/// reuses what the first wrote.
/// </summary>
public sealed class PaperProfileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Data => _folder.File("data");
    private string Models => _folder.File("models");
    private string Results => _folder.File("results");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void On_empty_roots_every_missing_input_is_listed_with_source_size_and_command_and_nothing_starts()
    {
        var (code, output) = MilanCli.Run("reproduce", "--profile", "paper", "--data-dir", Data, "--models-dir", Models, "--results-dir", Results, "--device", "cpu");

        Assert.Equal(1, code);
        Assert.Contains("10 inputs are missing, so nothing was started", output);
        foreach (var key in Milan.Annotations.DatasetKeys.Annotated)
            Assert.Contains($"./milan data fetch {key} --data-dir {Data}", output);
        Assert.Contains($"curl -L -o {Path.Combine(Models, "milan-base.pth")} http://milan.csail.mit.edu/models/milan-base.pth", output);
        Assert.Contains("https://huggingface.co/FacebookAI/roberta-large/resolve/main", output);
        Assert.Equal(10, output.Split('\n').Count(l => l.TrimStart().StartsWith("size: ", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(Results));
    }

    [Fact]
    public void On_a_miniature_paper_world_every_step_runs_and_the_report_is_written_then_reused()
    {
        DebianPython.RunFile("tools/reference-milan/make_paper_world.py", Data, Models, "--units", "6");
        string[] args = ["reproduce", "--profile", "paper", "--keys", "alexnet/imagenet,alexnet/places365", "--trials", "1", "--max-epochs", "2",
                         "--data-dir", Data, "--models-dir", Models, "--results-dir", Results, "--device", "cpu"];

        var (code, output) = MilanCli.Run(args);

        Assert.True(code == 0, output);
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(ReproductionReport.Folder(Results), "reproduce.json")))!.AsObject();
        Assert.Equal("paper", run["profile"]!.GetValue<string>());
        var steps = run["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(["exemplars", "pretrained", "tables"], steps.Select(s => s["name"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.Equal("done", s["status"]!.GetValue<string>()));

        // The ImageNet key's images were merged from the source folder; the Places key's were shipped.
        Assert.True(File.Exists(Path.Combine(Data, "alexnet", "imagenet", "conv1", "images.npy")));
        // The pretrained MILAN described every unit of both keys.
        foreach (var key in new[] { "alexnet-imagenet", "alexnet-places365" })
            Assert.Equal(1 + 12, File.ReadAllLines(Path.Combine(PaperSteps.Folder(Results), "pretrained", key + "-descriptions.csv")).Length);
        // Table 2: both keys held out in turn, greedy and MILAN rows; Table 3: the paper's splits that these keys allow.
        var table2 = JsonNode.Parse(File.ReadAllText(Path.Combine(PaperSteps.Folder(Results), "table2", "summary.json")))!.AsObject();
        Assert.Equal(PaperTables.Data, table2["data"]!.GetValue<string>());
        var methods = table2["rows"]!.AsArray().Select(r => (r!["test"]!.GetValue<string>(), r["method"]!.GetValue<string>())).Distinct().ToList();
        Assert.Contains(("alexnet/imagenet", Milan.Experiments.GeneralizationTables.MilanMethod), methods);
        Assert.Contains(("alexnet/places365", Milan.Experiments.GeneralizationTables.GreedyMethod), methods);
        Assert.DoesNotContain(methods, m => m.Item2 == Milan.Experiments.GeneralizationTables.NetDissectMethod);
        var table3 = JsonNode.Parse(File.ReadAllText(Path.Combine(PaperSteps.Folder(Results), "table3", "summary.json")))!.AsObject();
        Assert.Equal(["within-network", "across-dataset", "leave-one-out"],
            table3["rows"]!.AsArray().Select(r => r!["experiment"]!.GetValue<string>()).Distinct());

        string html = File.ReadAllText(ReproductionReport.IndexPath(Results));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ReproductionReport.PaperLabel), html);
        Assert.Contains("the paper reports .38", html);              // table 2, MILAN on alexnet/imagenet
        Assert.Contains("17 layers of width 8", html);               // the stand-in BERTScore model is named beside every number

        (code, output) = MilanCli.Run(args);
        Assert.True(code == 0, output);
        var again = JsonNode.Parse(File.ReadAllText(Path.Combine(ReproductionReport.Folder(Results), "reproduce.json")))!["steps"]!.AsArray();
        Assert.All(again, s => Assert.Equal("skipped", s!["status"]!.GetValue<string>()));
    }
}
