using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models;
using Milan.Models.Onnx;

namespace Milan.Reproduction;

/// <summary>
/// The <c>real-network</c> step of <c>milan reproduce</c>: exemplars of a real network on real
/// photographs, offline. The ImageNet ResNet18 restored from NuGet (<see cref="NuGetResNet18"/>,
/// imported from ONNX with its preprocessing graph) runs over the photo folder that
/// <c>milan data photos</c> writes (&lt;data&gt;/photos); conv1 and layer1..layer4, k = 15 (the tiny
/// profile: 3, first 4 units per layer), with contact sheets, into &lt;results&gt;/real-network/nuget-resnet18. No descriptions are written:
/// the MILAN trained here learned from rendered scenes and simulated annotators, so it does not
/// describe real units; descriptions of these units need a MILAN trained on MILANNOTATIONS.
/// </summary>
public static class RealNetworkStep
{
    public const string Name = "real-network";

    /// <summary>Where <c>milan data photos</c> writes the photographs by default.</summary>
    public static string PhotosFolder(ReproductionRoots roots) => Path.Combine(roots.Data, "photos");

    public static string OutputFolder(ReproductionRoots roots) => Path.Combine(roots.Results, Name, NuGetResNet18.ModelName);

    public static ReproductionStep Step { get; } = new(Name,
        "exemplars of the ImageNet ResNet18 from NuGet (ONNX) over the Debian photographs, conv1 and layer1..layer4, with contact sheets; no descriptions",
        Run);

    public static StepOutcome Run(ReproductionContext context)
    {
        string photos = PhotosFolder(context.Roots);
        if (!Directory.Exists(photos))
            return StepOutcome.SkippedWith([], $"no photo folder {photos}; run `milan data photos` to gather it");
        if (!File.Exists(NuGetResNet18.ModelPath))
            return StepOutcome.SkippedWith([], $"{NuGetResNet18.ModelPath} is not restored; run `dotnet restore`");

        string output = OutputFolder(context.Roots);
        if (context.Forced(Name) && Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var source = ImageSources.Open(photos);
        using var disposeSource = source as IDisposable;
        using var loaded = ModelSource.Load(NuGetResNet18.ModelName, architecture: null, source.ImageSize, context.Device);
        var layers = loaded.DefaultLayers.Select(n => new ExemplarLayer(n, loaded.ModulePath(n))).ToList();
        // The tiny profile (tests) keeps 3 exemplars of the first 4 units per layer; the others every unit's 15.
        var options = new ExemplarOptions
        {
            Model = loaded.Description,
            Normalization = loaded.Normalization,
            BatchSize = 32,
            K = context.Profile.Choose(3, 15, 15),
            Units = context.Profile.Choose<int?>(4, null, null),
        };
        var run = ExemplarComputation.Run(loaded.Model, layers, source, output, options, context.Progress);

        var manifest = ExemplarManifest.Read(output)!;
        var numbers = new List<KeyNumber>
        {
            KeyNumber.Of("real network photographs", source.Count, $"{photos} ({source.Description})"),
            KeyNumber.Of("real network units with exemplars", manifest.Layers.Values.Sum(l => l.Units),
                $"ImageNet ResNet18 (NuGet {NuGetResNet18.PackageId} {NuGetResNet18.Version}), {string.Join(", ", manifest.Layers.Keys)}; no descriptions"),
        };
        return new StepOutcome(run.Written.Count == 0, numbers, Message: run.Written.Count == 0
            ? "every layer was complete"
            : $"wrote {run.Written.Count} layer(s) and their contact sheets to {output}");
    }
}
