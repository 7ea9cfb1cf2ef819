using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Execution;

public sealed class TimeoutTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_cell_that_runs_too_long_stops_the_run_and_keeps_the_outputs_so_far()
    {
        string notebook = NotebookFile.Write(_folder.File("slow.ipynb"), Notebook(
            Code("Console.WriteLine(\"before\");", "t1"),
            Code("Console.WriteLine(\"sleeping\");\nSystem.Threading.Thread.Sleep(120_000);\nConsole.WriteLine(\"woke up\");", "t2"),
            Code("Console.WriteLine(\"after\");", "t3")));

        // The limit leaves room for the kernel's first cell, which compiles C# for the first time and took
        // over 3 s on a loaded CI machine; the sleeping cell still overruns it four times over.
        var run = NotebookRun.Execute(notebook, ["--cell-timeout", "30"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Matches(@"slow\.ipynb\s*│\s*\d/3\s*│\s*1\s*│[^│]*│\s*timed-out", run.Log);
        Assert.Equal("before\n", run.Stream("t1"));
        Assert.Equal("sleeping\n", run.Stream("t2"));
        Assert.Contains("timed out after 30 s", Assert.Single(run.Errors("t2")));
        Assert.Null(run.ExecutionCount("t3"));
        Assert.Empty(run.Outputs("t3"));
        DebianNotebookTools.AssertValidAndConvertible(run.OutputPath);
    }

    public void Dispose() => _folder.Dispose();
}
