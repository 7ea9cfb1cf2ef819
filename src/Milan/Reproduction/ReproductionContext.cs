using TorchSharp;

namespace Milan.Reproduction;

/// <summary>
/// What every step gets: the roots, the profile, the device, a progress sink, the steps whose
/// outputs must be redone even when complete, the notebook runner (provided by the host program,
/// which owns the notebook runner; null where none is available) and, for the paper profile, its
/// keys and sizes (default <see cref="PaperSettings"/>).
/// </summary>
public sealed record ReproductionContext(
    ReproductionRoots Roots,
    Profile Profile,
    torch.Device Device,
    IProgress<WorkProgress>? Progress = null,
    IReadOnlySet<string>? Force = null,
    INotebookRunner? Notebooks = null,
    PaperSettings? Paper = null)
{
    /// <summary>Whether step <paramref name="name"/> must redo its work (<c>--force name</c> or <c>--force all</c>).</summary>
    public bool Forced(string name) => Force is { } force && (force.Contains(name) || force.Contains("all"));

    /// <summary>The device as the notebooks' <c>--input device=…</c> spells it.</summary>
    public string DeviceName => Device.type == DeviceType.CUDA ? $"cuda:{Device.index}" : "cpu";
}
