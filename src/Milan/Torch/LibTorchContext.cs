using System.Runtime.InteropServices;

namespace Milan.Torch;

/// <summary>
/// Switches of libtorch's global context that TorchSharp does not expose (Python's
/// torch.backends.mkldnn.enabled and torch.backends.nnpack.enabled), called through the C++ symbols
/// of the libtorch_cpu that TorchSharp 0.107 ships (at::globalContext(), at::Context::setUserEnabled*).
/// A libtorch without them throws <see cref="EntryPointNotFoundException"/>.
/// </summary>
internal static class LibTorchContext
{
    public static void SetOneDnnEnabled(bool enabled) => SetUserEnabledMkldnn(GlobalContext(), enabled);

    /// <summary>
    /// Switches NNPACK off where it cannot initialise. libtorch asks NNPACK whether it is available each
    /// time it considers it for a convolution (those oneDNN does not take), and on a processor NNPACK
    /// does not know each answer prints "Could not initialize NNPACK! Reason: Unsupported hardware."
    /// (133 lines in one demo run on this Zen 5). Asked once here, and switched off, it prints once.
    /// </summary>
    public static void SwitchOffNnpackWhereUnavailable()
    {
        try
        {
            if (!NnpackAvailable()) SetUserEnabledNnpack(GlobalContext(), false);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another libtorch: it keeps its own choice (and its warnings).
        }
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at4_ops17_nnpack_available4callEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool NnpackAvailable();
}
