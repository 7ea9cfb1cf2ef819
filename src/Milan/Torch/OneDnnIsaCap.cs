using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Milan.Torch;

/// <summary>
/// Keeps libtorch's oneDNN convolutions off their AVX-512 kernels on AMD processors. Measured on an
/// AMD EPYC of family 26 (Zen 5) with the libtorch TorchSharp 0.107 ships: the backward pass with
/// respect to the input of some small convolutions (e.g. batch 32 or 64, 8 → 8 channels, 3×3 at
/// 16 px, and the 7×7 stride-2 stem at 32 px) returns NaN or values off by more than 10, at every
/// AVX-512 level oneDNN offers (AVX512_CORE, _VNNI, _BF16, AVX10_1_512); with the AVX2 kernels every
/// shape equals a float64 computation. Subject training there ended in NaN losses at 10% accuracy.
/// oneDNN reads ONEDNN_MAX_CPU_ISA once, at its first convolution, from the native environment
/// (which Environment.SetEnvironmentVariable does not change on Linux), so the cap is set with libc's
/// setenv when this assembly loads. A value the user set (ONEDNN_MAX_CPU_ISA or the older
/// DNNL_MAX_CPU_ISA) is left alone; Intel processors keep oneDNN's own choice.
/// </summary>
internal static class OneDnnIsaCap
{
    private const string Variable = "ONEDNN_MAX_CPU_ISA";

#pragma warning disable CA2255 // the cap must precede the first convolution anywhere in the process, including hosts that never call TorchRuntime
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyWhereNeeded()
    {
        if (!OperatingSystem.IsLinux() || !IsAmdWithAvx512()) return;
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null) return;
        setenv(Variable, "AVX2", overwrite: 0);
    }

    private static bool IsAmdWithAvx512()
    {
        if (!X86Base.IsSupported || !Avx512F.IsSupported) return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return ebx == 0x68747541 && edx == 0x69746E65 && ecx == 0x444D4163; // "Auth" "enti" "cAMD"
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
