using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;

namespace Milan.Notebooks.Tests.Kernel;

/// <summary>The Jupyter kernel `.net-csharp` that scripts/setup.sh registers (docs/notebooks.md, "Set-up").</summary>
public sealed class KernelSpecTests
{
    [Fact]
    public void The_kernel_runs_the_pinned_dotnet_interactive_with_http_on_local_interfaces_only()
    {
        var list = ProcessResult.Run("/usr/bin/jupyter", ["kernelspec", "list", "--json"]);
        Assert.True(list.ExitCode == 0, list.Output);
        var specs = JsonNode.Parse(list.Output[list.Output.IndexOf('{')..(list.Output.LastIndexOf('}') + 1)])!["kernelspecs"]!;

        var argv = specs[".net-csharp"]!["spec"]!["argv"]!.AsArray().Select(a => (string)a!).ToList();

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Tools.Repository, ".config", "dotnet-tools.json")))!;
        string version = (string)manifest["tools"]!["microsoft.dotnet-interactive"]!["version"]!;
        Assert.EndsWith($"/microsoft.dotnet-interactive/{version}/tools/net10.0/any/Microsoft.DotNet.Interactive.App.dll", argv[1]);
        Assert.Equal(["jupyter", "--default-kernel", "csharp", "--http-local-only", "--http-port-range", "0-0", "{connection_file}"], argv[2..]);
    }
}
