using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// One-time process set-up of the native torch backend: loads it, from the NuGet folder where the host
/// left it there (<see cref="NativeBackend"/>; a notebook kernel), so a missing or unloadable native
/// library fails here with a plain message, and fixes the number of CPU threads.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialized;

    /// <summary>
    /// Loads the backend and sets intra-op threads: <paramref name="threads"/>, else the environment
    /// variable MILAN_THREADS, else the number of cores. Inter-op threads stay at 1: MILAN's work is a
    /// sequence of large ops, and extra spinning pools hurt on small machines (torchsharp-notes.md §4).
    /// </summary>
    public static void EnsureInitialized(int? threads = null)
    {
        lock (Gate)
        {
            if (_initialized) return;
            try
            {
                NativeBackend.PreloadWhereMissing();
                InitializeDeviceType(DeviceType.CPU);
                LibTorchContext.SwitchOffNnpackWhereUnavailable();
            }
            catch (Exception e) when (e is not MilanInputException)
            {
                throw new InvalidOperationException(
                    "The native torch backend could not be loaded. On Debian 12 this is usually the "
                    + "GLIBCXX_3.4.32 requirement of TorchSharp 0.107.0: rebuild so Directory.Build.targets "
                    + "can patch it, and see environment.md (\"The GLIBCXX fix\"). Original error: " + e.Message, e);
            }
            int count = threads
                ?? (int.TryParse(Environment.GetEnvironmentVariable("MILAN_THREADS"), out int fromEnv) && fromEnv > 0
                    ? fromEnv : Environment.ProcessorCount);
            set_num_threads(count);
            _initialized = true;
        }
    }
}
