using Milan.Datasets;
using Milan.Exemplars;
using Milan.Experiments;
using Milan.Models;
using Milan.Tests.Support;
using Milan.World;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// A stand-in for the world corpus at 32 px: world a (normal and spurious-text; 200 val and 100 test
/// images), a randomly initialised ResNet18 (width 8, 10 classes) saved as a weights file, its
/// exemplars on normal val (6 units per layer, 30 units), their simulated annotations
/// (annotations.csv) and one description per unit (the terse annotator, no noise) as a CSV.
/// </summary>
public sealed class TinyCorpus : IDisposable
{
    public TempFolder Folder { get; } = new();
    public string Root => Folder.Path;
    public string World(string variant) => Path.Combine(Root, "world", "a", variant);
    public string Weights => Path.Combine(Root, "models", "resnet18.safetensors");
    public string Exemplars => Path.Combine(Root, "exemplars");
    public string DescriptionsCsv => Path.Combine(Root, "descriptions.csv");
    public IReadOnlyList<UnitDescription> Descriptions { get; }

    public TinyCorpus()
    {
        var settings = new WorldSettings(32, 0, 200, 100);
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, settings, World("normal"));
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.SpuriousText(), settings, World("spurious-text"));
        Directory.CreateDirectory(Path.GetDirectoryName(Weights)!);
        using (var model = SubjectModel.Create(new ModelSpec("resnet18", Classes: 10, ImageSize: 32, Width: 8), CPU, seed: 5))
        {
            model.SaveWeights(Weights);
            using var source = new NpyImageSource(Path.Combine(World("normal"), "val"));
            var layers = model.DefaultLayers.Select(l => new ExemplarLayer(l.Name, l.ModulePath)).ToList();
            ExemplarComputation.Run(model, layers, source, Exemplars, new ExemplarOptions { Units = 6, ContactSheets = false, Model = "tiny resnet18" });
        }
        var annotations = SimulatedAnnotation.Annotate(Exemplars, Path.Combine(World("normal"), "val"), Path.Combine(Exemplars, "annotations.csv"), seed: 1, noise: 0);
        Descriptions = annotations.GroupBy(a => (a.Layer, a.Unit)).Select(g => new UnitDescription(g.Key.Layer, (int)g.Key.Unit, g.First().Summary)).ToList();
        UnitDescription.WriteCsv(DescriptionsCsv, Descriptions);
    }

    public void Dispose() => Folder.Dispose();
}
