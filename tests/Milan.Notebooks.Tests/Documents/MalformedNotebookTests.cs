using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Documents;

/// <summary>
/// Notebooks the executor refuses: rejected before any cell runs, exit 1, a message naming the
/// notebook (and the cell and line where there is one), nothing written.
/// </summary>
public sealed class MalformedNotebookTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private NotebookRun Reject(string name, string text, params string[] expected)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, text);
        var run = NotebookRun.Execute(path);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("rejected", (string?)run.Summary!["status"]);
        Assert.Null(run.Executed);
        Assert.Contains(path, run.Log);
        foreach (var part in expected) Assert.Contains(part, run.Log);
        return run;
    }

    private NotebookRun Reject(string name, JsonObject notebook, params string[] expected) =>
        Reject(name, notebook.ToJsonString(), expected);

    [Fact]
    public void Text_that_is_not_json_is_rejected() =>
        Reject("broken.ipynb", "{ \"cells\": [ { \"cell_type\": \"code\", ", "not a JSON notebook");

    [Fact]
    public void An_nbformat_3_notebook_is_rejected() =>
        Reject("old.ipynb", """{"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": []}]}""", "nbformat 3 is not supported");

    [Fact]
    public void A_cell_for_another_kernel_is_rejected_naming_the_cell()
    {
        var fsharp = Code("let x = 1", "fs1");
        fsharp["metadata"]!["polyglot_notebook"]!["kernelName"] = "fsharp";
        Reject("fsharp-cell.ipynb", Notebook(Code("System.IO.File.WriteAllText(\"ran.txt\", \"\");", "c1"), fsharp),
            "cell 2 (id 'fs1')", "kernel 'fsharp' is not supported");
        Assert.False(File.Exists(_folder.File("ran.txt"))); // nothing ran
    }

    [Fact]
    public void A_notebook_whose_default_kernel_is_not_csharp_is_rejected()
    {
        var notebook = Notebook(Markdown("# F#"), Code("let x = 1", "only"));
        notebook["metadata"]!.AsObject().Remove("polyglot_notebook");
        notebook["metadata"]!["kernelspec"]!["name"] = ".net-fsharp";
        ((JsonObject)notebook["cells"]![1]!["metadata"]!).Clear();
        Reject("fsharp-notebook.ipynb", notebook, "cell 2 (id 'only')", "kernel 'fsharp'");
    }

    [Fact]
    public void Magic_commands_are_rejected_naming_the_cell_and_line()
    {
        Reject("time.ipynb", Notebook(Code("#!time\n1 + 1", "mg1")), "cell 1 (id 'mg1'), line 1", "unrecognized magic command '#!time'");
        Reject("switch.ipynb", Notebook(Code("var a = 1;\n#!fsharp\nlet b = 2", "mg2")), "cell 1 (id 'mg2'), line 2", "'#!fsharp' switches to another kernel");
    }

    [Fact]
    public void A_malformed_package_reference_is_rejected() =>
        Reject("nuget.ipynb", Notebook(Code("#r \"nuget: , 1.0.0\"", "n1")), "cell 1 (id 'n1'), line 1", "a package name is missing");

    [Fact]
    public void A_cell_with_a_wrong_structure_is_rejected()
    {
        var cell = Code("1", "s1");
        cell["source"] = 42;
        Reject("structure.ipynb", Notebook(cell), "cell 1 (id 's1')", "'source' must be a string or an array of strings");
    }

    public void Dispose() => _folder.Dispose();
}
