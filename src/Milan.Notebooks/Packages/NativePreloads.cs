using System.Runtime.InteropServices;

namespace Milan.Notebooks.Packages;

/// <summary>
/// Loads TorchSharp's native library by full path as soon as its packages are restored
/// (reference/torchsharp-notes.md, Appendix B). Left to itself, TorchSharp inside a script first
/// fails to find libLibTorchSharp.so, then "detects an interactive scenario" and copies 600 MB of
/// libtorch into the NuGet package folder, and still fails. libtorch.so is loaded first: its
/// RUNPATH ($ORIGIN) brings libtorch_cpu and libc10 from the libtorch package's folder, and the
/// dynamic loader then satisfies libLibTorchSharp.so's needs from those already-loaded libraries.
/// </summary>
public static class NativePreloads
{
    private static readonly string[] TorchSharpOrder = ["libtorch.so", "libLibTorchSharp.so"];
    private static readonly HashSet<string> Loaded = new(StringComparer.Ordinal);

    public static void Apply(RestoreResult result, Action<string> log)
    {
        var natives = result.Assets.Where(a => a.Kind == AssetKind.Native)
            .GroupBy(a => Path.GetFileName(a.Path))
            .ToDictionary(g => g.Key, g => g.First().Path, StringComparer.Ordinal);
        if (!natives.ContainsKey("libLibTorchSharp.so")) return;
        if (!natives.ContainsKey("libtorch.so"))
            throw new RestoreException(
                "TorchSharp needs a native backend package next to it, e.g. #r \"nuget: libtorch-cpu-linux-x64, 2.10.0\"");
        foreach (var file in TorchSharpOrder)
        {
            string path = natives[file];
            if (!Loaded.Add(path)) continue;
            try
            {
                NativeLibrary.Load(path);
            }
            catch (DllNotFoundException e)
            {
                Loaded.Remove(path);
                throw new RestoreException($"TorchSharp's native library could not be loaded from {path}: {e.Message}");
            }
            log($"loaded {path}");
        }
    }
}
