using System.Diagnostics;

namespace Milan.Tests.Support;

/// <summary>
/// Runs a script with Debian's /usr/bin/python3, whose numpy, nltk and nbformat packages are the
/// independent references for cross-checks (scripts/setup.sh installs them). The python3 first on
/// PATH is a different interpreter without those packages.
/// </summary>
public static class DebianPython
{
    public const string Executable = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with arguments; returns stdout, throws with stderr on failure.</summary>
    public static string Run(string script, params string[] arguments) => RunWithInput(script, stdin: null, arguments);

    /// <summary>Runs a script file of the repository (e.g. tools/reference-milan/reference_milan.py) with arguments; returns stdout.</summary>
    public static string RunFile(string relativePath, params string[] arguments)
    {
        string path = Path.Combine(MilanRoots.Repository ?? throw new InvalidOperationException("tests run inside a clone"), relativePath);
        return RunWithInput("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')", null, [path, .. arguments]);
    }

    /// <summary>As <see cref="Run"/>, writing <paramref name="stdin"/> to the script's standard input.</summary>
    public static string RunWithInput(string script, string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Executable);
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Executable} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
