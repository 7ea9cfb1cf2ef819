using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Execution;

/// <summary>Compile errors and exceptions become error outputs with the cell's line; the run exits 2.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string WriteNotebook() => NotebookFile.Write(_folder.File("errors.ipynb"), Notebook(
        Code("var before = 1;", "e1"),
        Code("var a = 1;\nundefinedName + 1", "e2"),
        Code("var assigned = 5;\nvoid Fail() => throw new InvalidOperationException(\"boom\");\n\nFail();", "e3"),
        Code("Console.WriteLine(assigned + before);", "e4"),
        Code("\"x\".DisplayAs(\"not-a-mime-type\");", "e5")));

    [Fact]
    public void Errors_become_error_outputs_with_line_numbers_and_later_cells_still_run()
    {
        var run = NotebookRun.Execute(WriteNotebook());

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("failed", (string?)run.Summary!["status"]);
        Assert.Equal(3, (int)run.Summary["failedCells"]!);
        Assert.Equal(["(2,1): error CS0103: The name 'undefinedName' does not exist in the current context"], run.Errors("e2"));
        string trace = Assert.Single(run.Errors("e3"));
        Assert.StartsWith("System.InvalidOperationException: boom", trace);
        Assert.Matches(@"at Submission#\d+\.Fail\(\) in cell-3:line 2", trace); // the throw, in the cell's own numbering
        Assert.Contains("in cell-3:line 4", trace); // the call
        Assert.DoesNotContain("Microsoft.CodeAnalysis", trace); // Roslyn's frames below the cell are cut
        Assert.Equal("Error", (string?)run.Outputs("e3", "error").Single()["ename"]);
        Assert.Equal("6\n", run.Stream("e4")); // a throwing cell still updates the state
        Assert.Contains("'not-a-mime-type' is not a MIME type", Assert.Single(run.Errors("e5"))); // nbformat could not store it
        Assert.Contains("undefinedName", File.ReadAllText(DebianNotebookTools.AssertValidAndConvertible(run.OutputPath)));
    }

    [Fact]
    public void Stop_on_error_leaves_the_remaining_cells_unrun()
    {
        var run = NotebookRun.Execute(WriteNotebook(), ["--stop-on-error"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(1, run.ExecutionCount("e1"));
        Assert.Single(run.Errors("e2"));
        Assert.Null(run.ExecutionCount("e3"));
        Assert.Empty(run.Outputs("e3"));
        Assert.Null(run.ExecutionCount("e4"));
        DebianNotebookTools.AssertValidAndConvertible(run.OutputPath);
    }

    public void Dispose() => _folder.Dispose();
}
