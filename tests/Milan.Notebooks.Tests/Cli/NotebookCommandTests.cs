using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Cli;

/// <summary>`milan notebook run`: folders in name order with a summary table, exit codes, outputs.</summary>
public sealed class NotebookCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static ProcessResult Milan(params string[] arguments) => ProcessResult.Run(Tools.DotNet, [Tools.CliAssembly, .. arguments]);

    /// <summary>
    /// The CLI's output without white space, to compare messages that Spectre.Console wraps at 80
    /// columns (between words or inside a long path).
    /// </summary>
    private static string Unwrapped(ProcessResult run) => Regex.Replace(run.Output, @"\s+", "");

    [Fact]
    public void A_folder_runs_in_name_order_prints_a_table_and_exits_2_when_a_cell_failed()
    {
        string notebooks = _folder.File("notebooks");
        Directory.CreateDirectory(notebooks);
        NotebookFile.Write(Path.Combine(notebooks, "02-fails.ipynb"), Notebook(Code("undefinedName", "f1")));
        NotebookFile.Write(Path.Combine(notebooks, "01-ok.ipynb"), Notebook(
            Code("Environment.GetEnvironmentVariable(\"MILAN_INPUT_PROFILE\") ?? \"demo\"", "o1")));
        string output = _folder.File("executed");

        var run = Milan("notebook", "run", notebooks, "--output-path", output, "--input", "profile=tiny");

        Assert.True(run.ExitCode == 2, run.Output);
        int first = run.Output.IndexOf("01-ok.ipynb", StringComparison.Ordinal), second = run.Output.IndexOf("02-fails.ipynb", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, run.Output);
        Assert.Contains("│ status", run.Output);
        Assert.Matches(@"01-ok\.ipynb\s*│\s*1/1\s*│\s*0\s*│[^│]*│\s*ok", run.Output);
        Assert.Matches(@"02-fails\.ipynb\s*│\s*1/1\s*│\s*1\s*│[^│]*│\s*failed", run.Output);
        var ok = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "01-ok.ipynb")))!;
        Assert.Equal("tiny", NotebookRun.Result(ok["cells"]![0]!));
        DebianNotebookTools.AssertValidAndConvertible(Path.Combine(output, "01-ok.ipynb"));
        DebianNotebookTools.AssertValidAndConvertible(Path.Combine(output, "02-fails.ipynb"));
        Assert.Equal("[]", JsonNode.Parse(File.ReadAllText(Path.Combine(notebooks, "01-ok.ipynb")))!["cells"]![0]!["outputs"]!.ToJsonString());
    }

    [Fact]
    public void A_notebook_without_an_output_path_is_executed_in_place_and_exits_0()
    {
        string notebook = NotebookFile.Write(_folder.File("in-place.ipynb"), Notebook(Code("(6 * 7).ToString()", "p1")));

        var run = Milan("notebook", "run", notebook);

        Assert.True(run.ExitCode == 0, run.Output);
        var executed = JsonNode.Parse(File.ReadAllText(notebook))!;
        Assert.Equal("42", NotebookRun.Result(executed["cells"]![0]!));
        DebianNotebookTools.AssertValidAndConvertible(notebook);
    }

    [Fact]
    public void A_malformed_notebook_in_a_folder_makes_the_run_exit_1()
    {
        File.WriteAllText(_folder.File("bad.ipynb"), "not json");
        NotebookFile.Write(_folder.File("good.ipynb"), Notebook(Code("1", "g1")));

        var run = Milan("notebook", "run", _folder.Path, "--output-path", _folder.File("out"));

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("bad.ipynb:notaJSONnotebook", Unwrapped(run));
        Assert.Matches(@"bad\.ipynb\s*│[^\n]*rejected", run.Output);
        DebianNotebookTools.AssertValidAndConvertible(_folder.File("out/good.ipynb"));
        Assert.False(File.Exists(_folder.File("out/bad.ipynb")));
    }

    [Theory]
    [InlineData("no-such-notebook.ipynb", "no such notebook or folder")]
    [InlineData("notes.txt", "not a notebook")]
    public void A_path_that_is_not_a_notebook_is_a_usage_error(string name, string message)
    {
        if (name.EndsWith(".txt", StringComparison.Ordinal)) File.WriteAllText(_folder.File(name), "");

        var run = Milan("notebook", "run", _folder.File(name));

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains(Regex.Replace(message, @"\s+", ""), Unwrapped(run));
    }

    [Fact]
    public void An_input_that_is_not_key_value_is_a_usage_error()
    {
        string notebook = NotebookFile.Write(_folder.File("n.ipynb"), Notebook(Code("1", "c1")));

        var run = Milan("notebook", "run", notebook, "--input", "profile");

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("--input:'profile'isnotkey=value", Unwrapped(run));
    }

    public void Dispose() => _folder.Dispose();
}
