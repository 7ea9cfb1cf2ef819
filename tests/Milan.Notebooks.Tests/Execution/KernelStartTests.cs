using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Execution;

/// <summary>
/// A kernel that dies before its first cell (the .NET Interactive kernel losing the race for its HTTP port) is
/// started again, at most three times. The kernel here is a stand-in registered as `.net-csharp` through
/// JUPYTER_PATH: a script that exits at once for its first starts and then runs Debian's ipykernel.
/// </summary>
public sealed class KernelStartTests : IDisposable
{
    private const string FlakyKernel = """
        import os, sys
        count_file, failures, connection = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        starts = int(open(count_file).read()) + 1 if os.path.exists(count_file) else 1
        open(count_file, "w").write(str(starts))
        if starts <= failures:
            sys.exit(1)
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection])
        """;

    private readonly TempFolder _folder = new();

    [Fact]
    public void A_kernel_that_dies_before_the_first_cell_is_started_again()
    {
        var (run, starts) = RunWithKernelFailing(times: 1);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("the kernel died before the first cell", run.Log);
        Assert.Contains("attempt 2 of 3", run.Log);
        Assert.Equal("hello\n", run.Stream("c1"));
        Assert.Equal(2, starts);
        Assert.DoesNotContain("Exception ignored", run.ToString());   // nbclient's clean-up of the dead kernel at exit
    }

    [Fact]
    public void A_kernel_that_never_starts_is_reported_after_three_attempts()
    {
        var (run, starts) = RunWithKernelFailing(times: 5);

        // Exit code 1: the notebook did not run (2 is for a cell that failed).
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"start\.ipynb\s*│\s*0/1\s*│[^│]*│[^│]*│\s*crashed", run.Log);
        Assert.Contains("attempt 3 of 3", run.Log);
        Assert.DoesNotContain("attempt 4", run.Log);
        Assert.Equal(3, starts);
        Assert.DoesNotContain("Exception ignored", run.ToString());
    }

    private (NotebookRun Run, int Starts) RunWithKernelFailing(int times)
    {
        string kernels = Path.Combine(_folder.Path, "jupyter", "kernels", ".net-csharp");
        Directory.CreateDirectory(kernels);
        string script = _folder.File("flaky_kernel.py"), counter = _folder.File("starts.txt");
        File.WriteAllText(script, FlakyKernel);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray("/usr/bin/python3", script, counter, times.ToString(), "{connection_file}"),
            ["display_name"] = "flaky stand-in",
            ["language"] = "python",
        };
        File.WriteAllText(Path.Combine(kernels, "kernel.json"), spec.ToJsonString());
        string notebook = NotebookFile.Write(_folder.File("start.ipynb"), Notebook(Code("print(\"hello\")", "c1")));

        var run = NotebookRun.Execute(notebook, ["--cell-timeout", "60"],
            new Dictionary<string, string> { ["JUPYTER_PATH"] = Path.Combine(_folder.Path, "jupyter") });
        return (run, int.Parse(File.ReadAllText(counter)));
    }

    public void Dispose() => _folder.Dispose();
}
