using Milan.Annotations;
using Milan.Corpus;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// Where an application's descriptions come from: a CSV when one is given for an exemplar folder,
/// else the source chosen at construction: the applications' MILAN (<see cref="Milan"/>: loaded, or
/// trained when missing, on first use; descriptions cached in its folder), or the exemplar folder's
/// own annotations (<see cref="FirstAnnotation"/>: each unit's first annotation, the oracle that a
/// perfect captioner would approach; quick, for tests and for comparison).
/// </summary>
public sealed class UnitDescriptions : IDisposable
{
    private readonly Func<UnitDescriptions, string, IReadOnlyList<UnitDescription>> _describe;
    private readonly Func<ApplicationMilan>? _loadMilan;
    private ApplicationMilan? _milan;

    private UnitDescriptions(Func<UnitDescriptions, string, IReadOnlyList<UnitDescription>> describe, Func<ApplicationMilan>? loadMilan)
    {
        _describe = describe;
        _loadMilan = loadMilan;
    }

    /// <summary>
    /// Descriptions by the applications' MILAN: <paramref name="milanFolder"/> (default the layout's
    /// <see cref="WorldCorpusLayout.ApplicationMilanFolder"/>) is loaded, or trained from the layout's
    /// corpus with the training seed <paramref name="seed"/> when it holds no MILAN (<see cref="ApplicationMilan.LoadOrTrain"/>;
    /// seeds other than 0 default to their own folder, <see cref="WorldCorpusLayout.ApplicationMilanFolderFor"/>).
    /// </summary>
    public static UnitDescriptions Milan(WorldCorpusLayout layout, Profile profile, Device device, string? milanFolder = null,
                                         int seed = 0, IProgress<WorkProgress>? progress = null) =>
        new((self, folder) => self.MilanModel.DescribeCached(folder, progress: progress),
            () => ApplicationMilan.LoadOrTrain(layout, profile, device, milanFolder, seed, progress));

    /// <summary>Each unit's first annotation in the exemplar folder's annotations.csv.</summary>
    public static UnitDescriptions FirstAnnotation() => new((_, folder) => FromAnnotations(folder), null);

    /// <summary>The MILAN behind these descriptions (loaded or trained on first use), or null for annotation-based descriptions.</summary>
    public ApplicationMilan? MilanOrNull => _loadMilan is null ? null : MilanModel;

    /// <summary>The descriptions of the units of <paramref name="exemplarFolder"/>: read from <paramref name="csv"/> when given, else from this source.</summary>
    public IReadOnlyList<UnitDescription> For(string exemplarFolder, string? csv = null) =>
        csv is not null ? UnitDescription.ReadCsv(csv) : _describe(this, exemplarFolder);

    private ApplicationMilan MilanModel => _milan ??= _loadMilan!();

    private static IReadOnlyList<UnitDescription> FromAnnotations(string exemplarFolder)
    {
        string path = Path.Combine(exemplarFolder, AnnotationTable.FileName);
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "missing; annotation-based descriptions need the exemplar folder's annotations.csv");
        return AnnotationTable.Read(path).Units.Select(u => new UnitDescription(u.Layer, u.Unit, u.Rows[0].Summary)).ToList();
    }

    public void Dispose() => _milan?.Dispose();
}
