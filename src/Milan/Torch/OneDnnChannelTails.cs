using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Torch;

/// <summary>
/// Keeps convolutions whose channel counts are not multiples of 8 off libtorch's oneDNN kernels.
/// Measured on the AMD EPYC of family 26 (Zen 5) this project is built on, with the libtorch 2.10 that
/// TorchSharp 0.107 ships: with oneDNN's AVX2 kernels (the cap of <see cref="OneDnnIsaCap"/>) and its AVX
/// kernels, 3×3 and 5×5 convolutions of a batch of 64 with 1, 2, 4-7, 9-15, 17, 18, 20 or 28 channels
/// give outputs or input gradients off by about 40% of their largest value (e.g. 12 → 12 at 16 px,
/// 12 → 24 with stride 2, the input gradient of 16 → 12), and a ResNet18 of width 12 trained to NaN
/// losses from its first epoch. Multiples of 8, 1×1 and depthwise convolutions, 3-channel image stems
/// and a batch of 1 were exact, and every shape was exact with ONEDNN_MAX_CPU_ISA=SSE41 or with oneDNN
/// switched off (docs/performance.md). Intel processors were not available to measure, so the
/// guard applies on every x86 processor: its cost is speed (2-4× slower convolutions, measured here),
/// paid only by processes that build such a model.
/// </summary>
public static class OneDnnChannelTails
{
    private static readonly Lock Gate = new();
    private static string? _disabledFor;

    /// <summary>Why oneDNN was switched off in this process (the first affected convolution), or null.</summary>
    public static string? DisabledFor
    {
        get { lock (Gate) return _disabledFor; }
    }

    /// <summary>
    /// True for a convolution of the kind measured wrong: a spatial kernel, more than 3 input channels
    /// per group, and input (per group) or output channels not a multiple of 8.
    /// </summary>
    public static bool Affected(long outChannels, long inChannelsPerGroup, long kernelHeight, long kernelWidth) =>
        kernelHeight * kernelWidth > 1 && inChannelsPerGroup > 3 && (inChannelsPerGroup % 8 != 0 || outChannels % 8 != 0);

    /// <summary>Switches oneDNN off for this process when <paramref name="model"/> holds an affected 2-D convolution.</summary>
    public static void Guard(nn.Module model, string what)
    {
        foreach (var (name, module) in model.named_modules())
            if (module is Conv2d convolution && convolution.weight is { } weight)
                Guard(weight.shape, string.IsNullOrEmpty(name) ? what : $"{what} {name}");
    }

    /// <summary>Switches oneDNN off for this process when a convolution with these (out, in/groups, kh, kw) weights is affected.</summary>
    public static void Guard(ReadOnlySpan<long> weightShape, string what)
    {
        if (weightShape.Length != 4 || !Applies) return;
        if (!Affected(weightShape[0], weightShape[1], weightShape[2], weightShape[3])) return;
        lock (Gate)
        {
            if (_disabledFor is not null) return;
            string reason = $"{what}: {weightShape[1]} → {weightShape[0]} channels, {weightShape[2]}×{weightShape[3]} kernel";
            try
            {
                LibTorchContext.SetOneDnnEnabled(false);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                throw new MilanInputException(
                    $"{reason}: oneDNN computes convolutions with channel counts that are not multiples of 8 wrongly on this "
                    + "processor, and this libtorch cannot switch it off; set ONEDNN_MAX_CPU_ISA=SSE41 before starting, or use "
                    + "channel counts that are multiples of 8 (docs/performance.md)");
            }
            _disabledFor = reason;
            Console.Error.WriteLine($"milan: oneDNN convolutions switched off for this process ({reason}; "
                                    + "such channel counts give wrong results with its AVX kernels; docs/performance.md)");
        }
    }

    /// <summary>Switches oneDNN back on (tests that must leave the process's kernels as they found them).</summary>
    internal static void Restore()
    {
        lock (Gate)
        {
            if (_disabledFor is null) return;
            LibTorchContext.SetOneDnnEnabled(true);
            _disabledFor = null;
        }
    }

    /// <summary>On x86 processors, unless the user capped oneDNN at SSE4.1 or below, whose kernels are exact.</summary>
    private static bool Applies
    {
        get
        {
            if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86)) return false;
            string? cap = Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") ?? Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
            return !string.Equals(cap, "SSE41", StringComparison.OrdinalIgnoreCase);
        }
    }
}
