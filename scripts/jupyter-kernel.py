"""Writes the Jupyter kernel spec `.net-csharp` for the .NET Interactive tool pinned in
.config/dotnet-tools.json (restored into the NuGet folder by `dotnet tool restore`), run by
scripts/setup.sh. Unlike `dotnet interactive jupyter install`, the kernel's HTTP services listen on
local interfaces only (--http-local-only), on a port the system picks (--http-port-range 0-0:
kernels that start at the same time would otherwise race for the first free port of 2048-3000 and
one dies). Usage: jupyter-kernel.py <repository> <nuget-packages-folder>"""
import json, os, shutil, subprocess, sys, tempfile

repository, packages = sys.argv[1], sys.argv[2]
with open(os.path.join(repository, ".config", "dotnet-tools.json")) as f:
    tool = json.load(f)["tools"]["microsoft.dotnet-interactive"]
app = os.path.join(packages, "microsoft.dotnet-interactive", tool["version"], "tools", "net10.0", "any",
                   "Microsoft.DotNet.Interactive.App.dll")
if not os.path.isfile(app):
    sys.exit(f"setup: {app} is missing; run `dotnet tool restore` in {repository}")

spec = {
    "argv": [shutil.which("dotnet") or "dotnet", app, "jupyter", "--default-kernel", "csharp", "--http-local-only",
             "--http-port-range", "0-0", "{connection_file}"],
    "display_name": ".NET (C#)",
    "language": "C#",
    "env": {"DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_NOLOGO": "1",
            "Logging__LogLevel__Default": "Warning"},
}
data = subprocess.run(["jupyter", "--data-dir"], capture_output=True, text=True, check=True).stdout.strip()
folder = os.path.join(data, "kernels", ".net-csharp")
path = os.path.join(folder, "kernel.json")
text = json.dumps(spec, indent=1) + "\n"
if os.path.isfile(path) and open(path).read() == text:
    sys.exit(0)
os.makedirs(folder, exist_ok=True)
with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".partial") as f:
    f.write(text)
os.replace(f.name, path)
print(f"setup: registered the Jupyter kernel .net-csharp (local interfaces only) in {folder}")
