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
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Executable);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Executable} failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
