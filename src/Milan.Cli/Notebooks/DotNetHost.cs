namespace Milan.Cli.Notebooks;

/// <summary>
/// Finds the <c>dotnet</c> executable that runs this process, to start nested <c>dotnet</c>
/// commands with (<c>dotnet pack</c> of the local feed).
/// </summary>
public static class DotNetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        // Set by the SDK for processes it starts (dotnet test, dotnet run, MSBuild tasks).
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? process = Environment.ProcessPath;
        if (process is not null && System.IO.Path.GetFileNameWithoutExtension(process) == "dotnet") return process;
        return "dotnet";
    }

    /// <summary>
    /// Removes what MSBuild and <c>dotnet test</c> set for their own children, so that a nested
    /// <c>dotnet</c> command finds its own SDK state.
    /// </summary>
    public static void CleanEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            environment.Remove(name);
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
    }
}
