using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Execution;

/// <summary>Compile errors and exceptions in the .NET Interactive kernel become error outputs; the run exits 2.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string WriteNotebook() => NotebookFile.Write(_folder.File("errors.ipynb"), Notebook(
        Code("var before = 1;", "e1"),
        Code("var a = 1;\nundefinedName + 1", "e2"),
        Code("void Fail() => throw new InvalidOperationException(\"boom\");\nFail();", "e3"),
        Code("Console.WriteLine(before + 5);", "e4")));

    [Fact]
    public void Errors_become_error_outputs_and_later_cells_still_run()
    {
        var run = NotebookRun.Execute(WriteNotebook());

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Matches(@"errors\.ipynb\s*│\s*4/4\s*│\s*2\s*│[^│]*│\s*failed", run.Log);
        // a compile error: the diagnostics on stderr, an error output "compilation error"
        Assert.Contains("(2,1): error CS0103: The name 'undefinedName' does not exist in the current context", run.Stream("e2", "stderr"));
        Assert.Equal("compilation error", Assert.Single(run.Errors("e2")));
        Assert.Contains("boom", Assert.Single(run.Errors("e3")));
        Assert.Equal("6\n", run.Stream("e4"));
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
