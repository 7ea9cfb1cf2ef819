using Milan.Annotations;
using Milan.Captioning;
using Milan.Datasets;
using Milan.Evaluation;
using Milan.Exemplars;
using Milan.Models;
using Milan.Models.Onnx;

namespace Milan.Reproduction;

/// <summary>
/// The <c>real-network</c> step of <c>milan reproduce</c>: exemplars of a real network on real
/// photographs, offline. The ImageNet ResNet18 restored from NuGet (<see cref="NuGetResNet18"/>,
/// imported from ONNX with its preprocessing graph) runs over the photo folder that
/// <c>milan data photos</c> writes (&lt;data&gt;/photos); conv1 and layer1..layer4, k = 15 (the tiny
/// profile: 3, first 4 units per layer), with contact sheets, into &lt;results&gt;/real-network/nuget-resnet18.
/// The MILAN trained here learned from rendered scenes and simulated annotators, so it does not
/// describe real units; when the reference's pretrained MILAN (trained on MILANNOTATIONS) is at
/// &lt;models&gt;/milan-base.pth, it describes every unit into descriptions.csv beside the exemplars
/// (what <c>milan atlas --descriptions</c> reads), else the step says how to get it.
/// </summary>
public static class RealNetworkStep
{
    public const string Name = "real-network";

    /// <summary>Where <c>milan data photos</c> writes the photographs by default.</summary>
    public static string PhotosFolder(ReproductionRoots roots) => Path.Combine(roots.Data, "photos");

    public static string OutputFolder(ReproductionRoots roots) => Path.Combine(roots.Results, Name, NuGetResNet18.ModelName);

    public static ReproductionStep Step { get; } = new(Name,
        "exemplars of the ImageNet ResNet18 from NuGet (ONNX) over the Debian photographs, conv1 and layer1..layer4, with contact sheets; descriptions by milan-base.pth when present",
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
        var (described, describeMessage) = Describe(context, output);
        var numbers = new List<KeyNumber>
        {
            KeyNumber.Of("real network photographs", source.Count, $"{photos} ({source.Description})"),
            KeyNumber.Of("real network units with exemplars", manifest.Layers.Values.Sum(l => l.Units),
                $"ImageNet ResNet18 (NuGet {NuGetResNet18.PackageId} {NuGetResNet18.Version}), {string.Join(", ", manifest.Layers.Keys)}; "
                + (described > 0 ? $"{described} described by the reference's milan-base.pth" : "no descriptions")),
        };
        bool unchanged = run.Written.Count == 0 && described <= 0;
        return new StepOutcome(unchanged, numbers, Message: (run.Written.Count == 0
            ? "every layer was complete"
            : $"wrote {run.Written.Count} layer(s) and their contact sheets to {output}") + "; " + describeMessage);
    }

    /// <summary>The descriptions CSV written next to the exemplars when the reference's pretrained MILAN is present.</summary>
    public static string DescriptionsPath(ReproductionRoots roots) => Path.Combine(OutputFolder(roots), "descriptions.csv");

    /// <summary>
    /// Describes every unit with &lt;models&gt;/milan-base.pth when it is there (units described, or 0 when the
    /// descriptions were already written, or -1 without the checkpoint), with a message that says how to get it otherwise.
    /// </summary>
    private static (int Described, string Message) Describe(ReproductionContext context, string exemplars)
    {
        string checkpoint = Path.Combine(context.Roots.Models, PaperInputs.CheckpointFile);
        if (!File.Exists(checkpoint))
            return (-1, $"no descriptions: the reference's pretrained MILAN is not at {checkpoint} (curl -L -o {checkpoint} {PaperInputs.CheckpointUrl})");
        string csv = DescriptionsPath(context.Roots);
        if (File.Exists(csv) && !context.Forced(Name)) return (0, $"descriptions in {csv}");
        using var milan = MilanModel.LoadReference(checkpoint, context.Device);
        using var data = MilannotationsDataset.Load(exemplars, new TopImagesLoadOptions { LoadAnnotations = false }, context.Progress);
        var described = milan.Describe(data.Samples.Select(NeuronExemplars.From).ToList(), progress: context.Progress);
        DescriptionsFile.Write(csv, data.Samples.Zip(described, (s, d) => new DescribedUnit(null, s.Layer, s.Unit, d.Description)));
        return (described.Count, $"{described.Count} units described by {checkpoint} into {csv}");
    }
}
