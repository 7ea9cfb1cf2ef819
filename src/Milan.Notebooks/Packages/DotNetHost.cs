namespace Milan.Notebooks.Packages;

/// <summary>Finds the <c>dotnet</c> executable that runs this process, to call MSBuild with it.</summary>
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
}
