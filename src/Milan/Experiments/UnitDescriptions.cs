using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// Where an application's descriptions come from: a CSV per exemplar folder when given, else the
/// applications' MILAN (loaded, or trained when missing, on first use; descriptions cached).
/// </summary>
public sealed class UnitDescriptions : IDisposable
{
    private readonly Profile _profile;
    private readonly Device _device;
    private readonly string? _milanFolder;
    private readonly IProgress<WorkProgress>? _progress;
    private ApplicationMilan? _milan;

    /// <param name="milanFolder">A MILAN folder; null = <see cref="ApplicationMilan.DefaultFolder"/>, trained when missing.</param>
    public UnitDescriptions(Profile profile, Device device, string? milanFolder = null, IProgress<WorkProgress>? progress = null)
    {
        _profile = profile;
        _device = device;
        _milanFolder = milanFolder;
        _progress = progress;
    }

    /// <summary>The descriptions of the units of <paramref name="exemplarFolder"/>: read from <paramref name="csv"/> when given, else described by MILAN.</summary>
    public IReadOnlyList<UnitDescription> For(string exemplarFolder, string? csv = null)
    {
        if (csv is not null) return UnitDescription.ReadCsv(csv);
        _milan ??= _milanFolder is null
            ? ApplicationMilan.LoadOrTrain(_profile, _device, _progress)
            : ApplicationMilan.Load(_milanFolder, _device, ApplicationMilan.DecodingFor(_profile));
        return _milan.DescribeCached(exemplarFolder, WorldCorpusPaths.DescriptionCache, _progress);
    }

    public void Dispose() => _milan?.Dispose();
}
