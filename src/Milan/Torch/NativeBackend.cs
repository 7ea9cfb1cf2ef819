using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Milan.Torch;

/// <summary>
/// Finds the native torch libraries where a host did not put them beside the program: in a Jupyter
/// kernel (.NET Interactive) the packages stay in the NuGet folder and TorchSharp's loader does not
/// find them ("doesn't contain a reference to libtorch-cpu-linux-x64"). Loading libtorch.so and then
/// libLibTorchSharp.so by full path first makes TorchSharp's own load by name succeed.
/// </summary>
internal static class NativeBackend
{
    private const string Bridge = "libLibTorchSharp.so";
    private const string NativeFolder = "runtimes/linux-x64/native";

    /// <summary>The libtorch package version this library was built against (Directory.Packages.props).</summary>
    private static string LibTorchVersion => typeof(NativeBackend).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "LibTorchCpuVersion").Value!;

    /// <summary>Loads the libraries from the NuGet folder when the program's folder lacks them; no-op elsewhere.</summary>
    public static void PreloadWhereMissing()
    {
        if (!OperatingSystem.IsLinux()) return;
        string app = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(app, Bridge)) || File.Exists(Path.Combine(app, NativeFolder, Bridge))) return;

        // TorchSharp.dll in a NuGet folder: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        string? torchSharp = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (string.IsNullOrEmpty(torchSharp)) return;
        string package = Path.GetFullPath(Path.Combine(torchSharp, "..", ".."));
        string bridge = Path.Combine(package, NativeFolder, Bridge);
        string libtorch = Path.Combine(package, "..", "..", "libtorch-cpu-linux-x64", LibTorchVersion, NativeFolder, "libtorch.so");
        if (!File.Exists(bridge) || !File.Exists(libtorch)) return;
        NativeLibrary.Load(Path.GetFullPath(libtorch));
        NativeLibrary.Load(bridge);
    }
}
