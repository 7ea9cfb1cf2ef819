using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Execution;

/// <summary>
/// One notebook exercising the kernel surface (display, updates, HTML, DisplayAs, trailing
/// values, console streams, usings, inputs, working directory), run once for all the facts below.
/// </summary>
public sealed class KernelSurfaceTests(KernelSurfaceTests.Run fixture) : IClassFixture<KernelSurfaceTests.Run>
{
    /// <summary>A 1×1 PNG.</summary>
    public const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    public sealed class Run : IDisposable
    {
        public Run()
        {
            File.WriteAllText(Folder.File("data.txt"), "read relative to the notebook");
            var withoutId = Code("1 + 1");
            withoutId.Remove("id");
            var tagged = Code("HTML(\"<b>bold</b>\")", "k7");
            tagged["metadata"]!["tags"] = new JsonArray("keep-me");
            tagged["outputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "stdout", ["output_type"] = "stream", ["text"] = new JsonArray("stale output from an earlier run\n"),
            });
            var notebook = Notebook(
                Markdown("# Kernel surface\nProse stays as it is.", "m1"),
                Code("using System.Globalization;\nvar x = 41;\nint Twice(int v) => 2 * v;\nConsole.WriteLine(\"hello from k1\");\nx + 1", "k1"),
                Code("$\"{Twice(x)} {CultureInfo.InvariantCulture.TwoLetterISOLanguageName}\"", "k2"),
                Code("x++;", "k3"),
                Code("Console.WriteLine(\"a\");\ndisplay(\"b\");\nConsole.WriteLine(\"c\");\nConsole.Error.WriteLine(\"d\");\nConsole.Write(\"e\");\nConsole.WriteLine(x);", "k4"),
                Code("var progress = display(\"step 0 of 3\");\nfor (int i = 1; i <= 3; i++) progress.Update($\"step {i} of 3\");", "k5"),
                Code("progress.Update(\"finished in a later cell\");\n\"k6 done\"", "k6"),
                tagged,
                Code("\"# Heading\".DisplayAs(\"text/markdown\");\ndisplay(3.5);\ndisplay(new List<int> { 1, 2, 3 });", "k8"),
                Code("display(\"<i>x</i>\", \"text/html\", \"text/plain\");\nConsole.WriteLine(\"void call, no value\")", "k9"),
                Code("object nothing = null;\nnothing", "k10"),
                Code($"Convert.ToBase64String(Convert.FromBase64String(\"{TinyPng}\")).DisplayAs(\"image/png\");", "k11"),
                Code("$\"{Environment.GetEnvironmentVariable(\"MILAN_INPUT_PROFILE\") ?? \"demo\"} {Environment.GetEnvironmentVariable(\"MILAN_INPUT_SEED_VALUE\") ?? \"none\"}\"", "k12"),
                Code("$\"{typeof(StringBuilder).Name} {typeof(Task).Name} {new[] { 1, 2 }.Sum()} {typeof(ArrayList).Name} {typeof(List<int>).Name}\"", "k13"),
                Code("System.IO.File.ReadAllText(\"data.txt\") + \" in \" + System.IO.Directory.GetCurrentDirectory()", "k14"),
                Code("#!csharp\n1 + 2", "k15"),
                Code("CSS(\"p { color: red; }\");\nJavascript(\"console.log('hi');\");", "k16"),
                Code("  \n", "empty"),
                withoutId);
            notebook["metadata"]!["custom"] = new JsonObject { ["keep"] = true };
            Path = NotebookFile.Write(Folder.File("surface.ipynb"), notebook);
            Result = NotebookRun.Execute(Path, ["--input", "profile=tiny", "--input", "seed-value=7"]);
        }

        public TempFolder Folder { get; } = new();

        public string Path { get; }

        public NotebookRun Result { get; }

        public void Dispose() => Folder.Dispose();
    }

    private NotebookRun R => fixture.Result;

    [Fact]
    public void The_notebook_runs_without_errors()
    {
        Assert.True(R.ExitCode == 0, R.ToString());
        Assert.Equal("ok", (string?)R.Summary!["status"]);
    }

    [Fact]
    public void Variables_methods_and_usings_flow_from_cell_to_cell()
    {
        Assert.Equal(["42"], R.Displayed("k1", "text/plain"));
        Assert.Equal(["82 iv"], R.Displayed("k2", "text/plain"));
        Assert.Contains("42\n", R.Stream("k4")); // x++ in k3 ran
    }

    [Fact]
    public void A_trailing_expression_is_displayed_and_a_statement_or_void_call_is_not()
    {
        Assert.Empty(R.Outputs("k3"));
        Assert.Equal(["<null>"], R.Displayed("k10", "text/plain"));
        Assert.Equal(["3"], R.Displayed("k15", "text/plain"));
        Assert.DoesNotContain(R.Displayed("k9", "text/plain"), t => t.Contains("void call"));
    }

    [Fact]
    public void Console_output_becomes_streams_in_order_with_displays()
    {
        var outputs = R.Outputs("k4").OfType<JsonObject>()
            .Select(o => (string)o["output_type"]! + ":" + ((string?)o["name"] ?? NotebookRun.Text(o["data"]!["text/plain"])) + ":"
                         + (o["text"] is { } text ? NotebookRun.Text(text) : ""))
            .ToArray();
        Assert.Equal(["stream:stdout:a\n", "display_data:b:", "stream:stdout:c\n", "stream:stderr:d\n", "stream:stdout:e42\n"], outputs);
        Assert.Equal(["hello from k1\n"], R.Outputs("k1", "stream").Select(o => NotebookRun.Text(o["text"])));
    }

    [Fact]
    public void A_displayed_value_is_updated_in_place_even_from_a_later_cell()
    {
        Assert.Single(R.Outputs("k5"));
        Assert.Equal(["finished in a later cell"], R.Displayed("k5", "text/plain"));
        Assert.Equal(["k6 done"], R.Displayed("k6", "text/plain"));
    }

    [Fact]
    public void Html_mime_types_and_images_are_stored_as_nbformat_expects()
    {
        Assert.Equal(["<b>bold</b>"], R.Displayed("k7", "text/html"));
        Assert.Equal(["# Heading"], R.Displayed("k8", "text/markdown"));
        Assert.Equal(["3.5", "[1, 2, 3]"], R.Displayed("k8", "text/plain"));
        var both = Assert.Single(R.Outputs("k9", "display_data"));
        Assert.Equal("<pre>&lt;i&gt;x&lt;/i&gt;</pre>", NotebookRun.Text(both["data"]!["text/html"]));
        Assert.Equal("<i>x</i>", NotebookRun.Text(both["data"]!["text/plain"]));
        var image = Assert.Single(R.Outputs("k11", "display_data"))["data"]!["image/png"];
        Assert.Equal(TinyPng, Assert.IsAssignableFrom<JsonValue>(image).GetValue<string>()); // one base64 string, not lines
        var scripts = R.Displayed("k16", "text/html").ToArray();
        Assert.Equal(2, scripts.Length);
        Assert.All(scripts, s => Assert.StartsWith("<script type=\"text/javascript\">", s));
        Assert.Contains("p { color: red; }", scripts[0]);
    }

    [Fact]
    public void Objects_shown_as_plain_text_are_reported_as_a_difference_from_dotnet_interactive()
    {
        var warnings = R.Summary!["warnings"]!.AsArray().Select(w => (string?)w).ToArray();
        Assert.Contains(warnings, w => w!.Contains("System.Collections.Generic.List`1"));
        Assert.DoesNotContain(warnings, w => w!.Contains("System.Double"));
    }

    [Fact]
    public void Inputs_arrive_as_environment_variables_and_the_six_default_usings_are_in_scope()
    {
        Assert.Equal(["tiny 7"], R.Displayed("k12", "text/plain"));
        Assert.Equal(["StringBuilder Task 3 ArrayList List`1"], R.Displayed("k13", "text/plain"));
    }

    [Fact]
    public void The_working_directory_is_the_notebooks_folder()
    {
        Assert.Equal([$"read relative to the notebook in {fixture.Folder.Path}"], R.Displayed("k14", "text/plain"));
    }

    [Fact]
    public void Metadata_ids_and_prose_are_kept_and_counts_number_the_executed_cells()
    {
        var input = (JsonObject)JsonNode.Parse(File.ReadAllText(fixture.Path))!;
        Assert.True((bool)R.Executed!["metadata"]!["custom"]!["keep"]!);
        Assert.Equal(input["metadata"]!["kernelspec"]!.ToJsonString(), R.Executed["metadata"]!["kernelspec"]!.ToJsonString());
        Assert.Equal("keep-me", (string?)R.Cell("k7")["metadata"]!["tags"]![0]);
        Assert.Empty(R.Outputs("k7", "stream")); // the stale output of an earlier run is gone
        Assert.Equal(input["cells"]![0]!.ToJsonString(), R.Executed["cells"]![0]!.ToJsonString());

        var cells = R.Executed["cells"]!.AsArray().OfType<JsonObject>().ToArray();
        var counts = cells.Where(c => (string?)c["cell_type"] == "code").Select(c => (int?)c["execution_count"]).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, null, 17], counts);
        Assert.Empty(R.Outputs("empty"));
        Assert.Matches("^[0-9a-f]{8}$", (string?)cells[^1]["id"]);
        Assert.Equal(5, (int)R.Executed["nbformat_minor"]!);
    }

    [Fact]
    public void The_executed_notebook_passes_nbformat_validation_and_converts_to_html()
    {
        string html = File.ReadAllText(DebianNotebookTools.AssertValidAndConvertible(R.OutputPath));
        Assert.Contains("<b>bold</b>", html);
        Assert.Contains($"data:image/png;base64,{TinyPng}", html);
    }
}
