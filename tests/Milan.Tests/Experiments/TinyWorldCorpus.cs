using Milan.Annotations;
using Milan.Corpus;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// The world corpus at the tiny profile (<see cref="WorldCorpus.Build"/>: 32 px worlds, width-8 models,
/// simulated annotations), built once per test class, with only the subjects the applications
/// describe (the MILAN training data alexnet/world-a and resnet18/world-b and the encoder are left
/// out: these tests describe units by their annotations), each trained for a single epoch to keep the tests quick.
/// </summary>
public sealed class TinyWorldCorpus : IDisposable
{
    public TempFolder Folder { get; } = new();
    public string DataRoot => Path.Combine(Folder.Path, "data");
    public string ModelsRoot => Path.Combine(Folder.Path, "models");
    public string Results(string name) => Path.Combine(Folder.Path, "results", name);
    public WorldCorpusManifest Manifest { get; }

    public static readonly string[] Subjects = ["resnet18-world-a", "resnet18-world-a-faces-blurred", "resnet18-world-a-spurious-text"];

    public TinyWorldCorpus()
    {
        var settings = WorldCorpusSettings.For(Profile.Tiny);
        settings = settings with
        {
            Subjects = settings.Subjects.Where(s => Subjects.Contains(s.Name)).ToList(),
            Training = settings.Training with { MaxEpochs = 1 },
        };
        Manifest = WorldCorpus.Build(settings, DataRoot, ModelsRoot, CPU).Manifest;
    }

    /// <summary>Each unit's first annotation in the dataset key's annotations.csv, read here independently of the library.</summary>
    public IReadOnlyDictionary<(string Layer, int Unit), string> FirstAnnotations(string key)
    {
        var first = new Dictionary<(string, int), string>();
        foreach (var line in File.ReadLines(Path.Combine(DataRoot, key, "annotations.csv")).Skip(1))
        {
            var fields = line.Split(',', 3);   // simulated annotations hold no commas or quotes
            first.TryAdd((fields[0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture)), fields[2]);
        }
        return first;
    }

    public void Dispose() => Folder.Dispose();
}
