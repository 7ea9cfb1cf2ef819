using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// Picks the device for a run from "auto", "cpu" or "cuda" (optionally "cuda:N"). "auto" means CUDA
/// when the native backend has it and a GPU is present, otherwise the CPU. Asking for CUDA on a
/// machine without it is an input error, never a silent fallback.
/// </summary>
public static class DeviceChoice
{
    public const string Help = "auto | cpu | cuda[:N]";

    public static Device Parse(string? choice)
    {
        TorchRuntime.EnsureInitialized();
        string value = (choice ?? "auto").Trim().ToLowerInvariant();
        if (value is "auto")
            return cuda.is_available() ? CUDA : CPU;
        if (value is "cpu")
            return CPU;
        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new MilanInputException(
                    $"--device {value}: CUDA is not available here (no CUDA native backend, or no GPU); "
                    + "use --device cpu, or build with -p:MilanTorchBackend=cuda on a GPU machine (environment.md)");
            if (value == "cuda") return CUDA;
            if (int.TryParse(value["cuda:".Length..], out int index) && index >= 0 && index < cuda.device_count())
                return new Device(DeviceType.CUDA, index);
            throw new MilanInputException($"--device {value}: there are {cuda.device_count()} CUDA device(s)");
        }
        throw new MilanInputException($"--device {choice}: expected {Help}");
    }
}
