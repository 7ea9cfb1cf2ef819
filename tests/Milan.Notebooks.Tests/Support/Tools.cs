using System.Reflection;

namespace Milan.Notebooks.Tests.Support;

/// <summary>Where the programs under test and the Debian tools are.</summary>
public static class Tools
{
    /// <summary>Milan.Cli.dll, recorded at build time (see the test project file).</summary>
    public static string CliAssembly { get; } = typeof(Tools).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "MilanCliAssembly").Value!;

    public static string DotNet
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
        }
    }

    /// <summary>Debian's python (with python3-nbformat), not the one first on PATH.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public const string NbConvert = "/usr/bin/jupyter-nbconvert";

    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The repository this test assembly was built from.</summary>
    public static string Repository
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Milan.Research.sln"))) return dir.FullName;
            throw new InvalidOperationException("the test assembly is not inside the repository");
        }
    }
}
