using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Milan.Notebooks.Packages;

/// <summary>
/// Makes restored packages loadable (reference/notebooks-spec.md 4.7, 4.8, as .NET Interactive does
/// through F#'s dependency manager):
/// managed assemblies by simple name, ignoring the version (a package built against an older
/// FSharp.Core still loads the restored one), into the default load context so that each
/// assembly exists once; native libraries by full path from the packages' runtimes/&lt;rid&gt;/native
/// folders, because DllImport never looks in another package's folder and changing
/// LD_LIBRARY_PATH at run time has no effect on dlopen.
/// </summary>
public sealed class PackageAssemblyResolver
{
    private readonly Dictionary<string, string> _managed = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _native = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Registers the handlers; call once, before the first script runs.</summary>
    public void Install()
    {
        AssemblyLoadContext.Default.Resolving += ResolveManaged;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNative;
    }

    public void Add(RestoreResult result)
    {
        lock (_gate)
        {
            foreach (var asset in result.Assets)
            {
                if (asset.Kind == AssetKind.Managed)
                    _managed[Path.GetFileNameWithoutExtension(asset.Path)] = asset.Path;
                else
                    _native[Path.GetFileName(asset.Path)] = asset.Path;
            }
        }
    }

    private Assembly? ResolveManaged(AssemblyLoadContext context, AssemblyName name)
    {
        string? path;
        lock (_gate)
            if (name.Name is null || !_managed.TryGetValue(name.Name, out path)) return null;
        return context.LoadFromAssemblyPath(path);
    }

    private IntPtr ResolveNative(Assembly requester, string name)
    {
        foreach (var candidate in FileNames(name))
        {
            string? path;
            lock (_gate)
                if (!_native.TryGetValue(candidate, out path)) continue;
            if (NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }

    /// <summary>The file names a DllImport name may stand for on Linux.</summary>
    private static IEnumerable<string> FileNames(string name)
    {
        string file = Path.GetFileName(name);
        yield return file;
        if (!file.Contains(".so", StringComparison.Ordinal))
        {
            yield return file + ".so";
            if (!file.StartsWith("lib", StringComparison.Ordinal)) yield return "lib" + file + ".so";
        }
        if (!file.StartsWith("lib", StringComparison.Ordinal)) yield return "lib" + file;
    }
}
