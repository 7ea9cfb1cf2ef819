using System.Diagnostics;

namespace Milan.Notebooks.Tests.Support;

/// <summary>Runs a program to completion and keeps its exit code and output.</summary>
public sealed record ProcessResult(int ExitCode, string Output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public static ProcessResult Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? limit = null)
    {
        var allowed = limit ?? Limit;
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(allowed))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran longer than {allowed}");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.Result + error.Result);
    }
}
