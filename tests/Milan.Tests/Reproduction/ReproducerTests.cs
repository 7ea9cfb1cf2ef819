using System.Text.Json.Nodes;
using Milan.Reproduction;
using Milan.Tests.Support;
using TorchSharp;

namespace Milan.Tests.Reproduction;

/// <summary>The step runner and the report, with steps written for the purpose (no corpus, no notebooks).</summary>
[Trait("Tier", "Integration")]
public sealed class ReproducerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private ReproductionContext Context(Profile? profile = null, params string[] force) => new(
        new ReproductionRoots(_folder.File("data"), _folder.File("models"), _folder.File("results")),
        profile ?? Profile.Tiny, torch.CPU, Force: new HashSet<string>(force));

    [Fact]
    public void Steps_run_in_order_and_the_report_lists_steps_numbers_and_figures()
    {
        var order = new List<string>();
        string figure = _folder.File("results/figures/step-b/curve.png");
        var steps = new[]
        {
            new ReproductionStep("a", "first", _ => { order.Add("a"); return StepOutcome.SkippedWith([KeyNumber.Of("answer", 42)], "already there"); }),
            new ReproductionStep("b", "second", _ =>
            {
                order.Add("b");
                Directory.CreateDirectory(Path.GetDirectoryName(figure)!);
                File.WriteAllBytes(figure, [137, 80, 78, 71]);
                return StepOutcome.Done([KeyNumber.Of("accuracy <test>", 0.8125, "0.0%", "on world a")]);
            }),
        };

        var run = Reproducer.Run(steps, Context());

        Assert.Equal(["a", "b"], order);
        Assert.Equal(["skipped", "done"], run.Steps.Select(s => s.Status));
        Assert.Equal(0, run.ExitCode);
        string html = File.ReadAllText(ReproductionReport.IndexPath(_folder.File("results")));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ReproductionReport.Label), html);
        Assert.Contains("<td>answer</td><td class=\"num\">42</td>", html);
        Assert.Contains("accuracy &lt;test&gt;</td><td class=\"num\">81.3%</td><td>on world a</td>", html);
        Assert.Contains("<img src=\"../figures/step-b/curve.png\"", html);
        Assert.DoesNotContain("http", html); // self-contained: nothing to fetch
        var json = JsonNode.Parse(File.ReadAllText(_folder.File("results/report/reproduce.json")))!;
        Assert.Equal("tiny", (string?)json["profile"]);
        Assert.Equal("skipped", (string?)json["steps"]![0]!["status"]);
    }

    [Fact]
    public void A_step_that_throws_stops_the_run_and_the_report_is_still_written()
    {
        bool laterRan = false;
        var steps = new[]
        {
            new ReproductionStep("broken", "throws", _ => throw new MilanInputException("corpus.json: field 'x' missing")),
            new ReproductionStep("later", "never runs", _ => { laterRan = true; return StepOutcome.Done([]); }),
        };

        var run = Reproducer.Run(steps, Context());

        Assert.False(laterRan);
        Assert.Equal(["error", "not run"], run.Steps.Select(s => s.Status));
        Assert.Equal("corpus.json: field 'x' missing", run.Steps[0].Message);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("corpus.json: field &#39;x&#39; missing", File.ReadAllText(run.ReportPath));
    }

    [Fact]
    public void The_paper_profile_lists_its_missing_inputs_before_any_step_and_an_unknown_forced_step_is_refused()
    {
        bool ran = false;
        var steps = new[] { new ReproductionStep("a", "a", _ => { ran = true; return StepOutcome.Done([]); }) };

        var paper = Assert.Throws<MilanInputException>(() => Reproducer.Run(steps, Context(Profile.Paper)));
        Assert.False(ran);
        Assert.Contains("10 inputs are missing, so nothing was started", paper.Message);
        foreach (var key in Milan.Annotations.DatasetKeys.Annotated)
            Assert.Contains($"- MILANNOTATIONS {key}: {Path.Combine(_folder.File("data"), key)}", paper.Message);
        Assert.Contains("http://milan.csail.mit.edu/data/alexnet-imagenet.zip", paper.Message);
        Assert.Contains(Path.Combine(_folder.File("models"), "milan-base.pth"), paper.Message);
        Assert.Contains("roberta-large", paper.Message);
        Assert.Contains("ILSVRC2012_img_val.tar", paper.Message);
        Assert.Equal(10, paper.Message.Split('\n').Count(l => l.TrimStart().StartsWith("size: ", StringComparison.Ordinal)));
        var force = Assert.Throws<MilanInputException>(() => Reproducer.Run(steps, Context(null, "nope")));
        Assert.Contains("--force nope: no such step; the steps are a", force.Message);
        Assert.False(File.Exists(ReproductionReport.IndexPath(_folder.File("results"))));
    }

    [Fact]
    public void Notebooks_are_skipped_when_their_run_record_matches_and_rerun_when_the_source_or_the_outcome_changes()
    {
        string notebooks = _folder.File("notebooks");
        Directory.CreateDirectory(notebooks);
        File.WriteAllText(Path.Combine(notebooks, "01-a.ipynb"), "{}");
        File.WriteAllText(Path.Combine(notebooks, "02-b.ipynb"), "{}");
        var runner = new FakeRunner();
        var context = Context() with { Notebooks = runner };
        var step = ReproductionSteps.Notebooks(notebooks);

        var first = step.Run(context);
        Assert.Equal(["01-a", "02-b"], runner.Ran);
        Assert.False(first.Skipped);
        Assert.True(File.Exists(_folder.File("results/notebooks/01-a.html")), "nbconvert rendering");
        Assert.Equal(["profile=tiny", "device=cpu"], runner.Inputs);
        Assert.Equal(_folder.File("results"), runner.Environment!["MILAN_RESULTS_DIR"]);

        var second = step.Run(context);
        Assert.True(second.Skipped);
        Assert.Equal(2, runner.Ran.Count);

        File.WriteAllText(Path.Combine(notebooks, "02-b.ipynb"), "{ }");
        runner.Status = "failed";
        var third = step.Run(context);
        Assert.Equal(["01-a", "02-b", "02-b"], runner.Ran);
        Assert.True(third.Failed);

        runner.Status = "ok";
        step.Run(context); // the failed one runs again although its source did not change
        Assert.Equal(["01-a", "02-b", "02-b", "02-b"], runner.Ran);

        step.Run(context with { Force = new HashSet<string> { "notebooks" } });
        Assert.Equal(6, runner.Ran.Count);
    }

    [Fact]
    public void Key_numbers_a_notebook_saved_reach_the_notebooks_step()
    {
        var outputs = NotebookOutputs.Start("01-a", _folder.File("results"));
        outputs.SaveNumbers([KeyNumber.Of("units", 656, "all datasets")]);
        File.WriteAllText(Path.Combine(outputs.Folder, "stale.png"), "x");

        Assert.Equal([new KeyNumber("units", "656", "all datasets")], NotebookOutputs.ReadNumbers(_folder.File("results"), "01-a"));
        Assert.Empty(Directory.GetFiles(NotebookOutputs.Start("01-a", _folder.File("results")).Folder)); // a new run starts empty
    }

    private sealed class FakeRunner : INotebookRunner
    {
        public List<string> Ran { get; } = [];
        public IReadOnlyList<string>? Inputs { get; private set; }
        public IReadOnlyDictionary<string, string>? Environment { get; private set; }
        public string Status { get; set; } = "ok";

        public NotebookOutcome Run(string notebook, string output, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, string> environment)
        {
            Ran.Add(Path.GetFileNameWithoutExtension(notebook));
            Inputs = inputs;
            Environment = environment;
            File.WriteAllText(output, """{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}""");
            return new NotebookOutcome(Status, 3, 3, Status == "ok" ? 0 : 1, 1.5, null);
        }
    }

    public void Dispose() => _folder.Dispose();
}
