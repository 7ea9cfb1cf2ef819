using System.Globalization;
using Milan.Annotations;
using Milan.Captioning;

namespace Milan.Reproduction;

/// <summary>One input of the paper profile: where it goes, whether it is there, and how to get it.</summary>
/// <param name="Size">download size, or an estimate labelled as such</param>
/// <param name="Command">the command that fetches or installs it, on a connected machine</param>
public sealed record PaperInput(string Name, string Path, bool Present, string Source, string Size, string Command);

/// <summary>
/// What <c>milan reproduce --profile paper</c> reads, checked before anything starts: the
/// MILANNOTATIONS keys (annotations, masks, image ids; images for Places365 and BigGAN), the ImageNet
/// validation images the ImageNet keys' exemplar images are merged from, the reference's pretrained
/// MILAN (milan-base.pth; its ResNet-101 is also the encoder of the MILANs the tables train), and
/// roberta-large for the paper's BERTScore. Every missing input is listed with its source, size and
/// command (docs/reproduce.md).
/// </summary>
public static class PaperInputs
{
    public const string CheckpointFile = "milan-base.pth";
    public static string CheckpointUrl => ReferenceCheckpoint.DownloadUrl("base");
    public const string RobertaFolder = "roberta-large";
    public const string RobertaUrl = "https://huggingface.co/FacebookAI/roberta-large/resolve/main";
    public static IReadOnlyList<string> RobertaFiles { get; } = ["config.json", "model.safetensors", "vocab.json", "merges.txt"];

    /// <summary>The widely used script that sorts ILSVRC2012's flat validation images into class folders.</summary>
    public const string ValPrepUrl = "https://raw.githubusercontent.com/soumith/imagenetloader.torch/master/valprep.sh";

    /// <summary>Units per annotated key (the paper's Table 1), for the size estimates.</summary>
    private static readonly Dictionary<string, int> UnitCounts = new(StringComparer.Ordinal)
    {
        ["alexnet/imagenet"] = 1152, ["alexnet/places365"] = 1376, ["resnet152/imagenet"] = 3904, ["resnet152/places365"] = 3904,
        ["biggan/imagenet"] = 3744, ["biggan/places365"] = 4992, ["dino_vits8/imagenet"] = 1200,
    };

    /// <summary>The keys the paper profile uses by default: all seven annotated keys.</summary>
    public static IReadOnlyList<string> DefaultKeys => DatasetKeys.Annotated;

    /// <summary>Every input for <paramref name="keys"/> under <paramref name="roots"/>, present or not.</summary>
    public static IReadOnlyList<PaperInput> For(ReproductionRoots roots, IReadOnlyList<DatasetKey> keys)
    {
        var inputs = new List<PaperInput>();
        foreach (var key in keys)
        {
            bool present = File.Exists(System.IO.Path.Combine(key.Folder, AnnotationTable.FileName)) && DatasetKeys.IsDatasetFolder(key.Folder);
            // ImageNet keys ship masks and ids only (images are merged locally); the others ship images too.
            bool shipsImages = key.Dataset != "imagenet" || key.SourceImages is null;
            string size = UnitCounts.TryGetValue(key.Name, out int units)
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{units} units; unpacked about {units * 15.0 * 224 * 224 * (shipsImages ? 4 : 1) / 1e9:0.0} GB (estimate: 15 masks{(shipsImages ? " and images" : "")} of 224x224 per unit)")
                : "unknown";
            var url = key.ArchiveUrl(DatasetKeys.BaseUrl);
            inputs.Add(new PaperInput($"MILANNOTATIONS {key.Name}", key.Folder, present,
                url?.ToString() ?? "not downloadable (local exemplars only)", size,
                url is null ? $"milan exemplars ... --out {key.Folder}" : $"./milan data fetch {key.Name} --data-dir {roots.Data}"));
        }
        var imagenetSources = keys.Where(NeedsImageNetImages).Select(k => k.SourceImages!).Distinct().ToList();
        foreach (var source in imagenetSources)
            inputs.Add(new PaperInput("ImageNet validation images (ILSVRC2012, class folders)", source, HasClassFolders(source),
                "https://image-net.org/download-images.php (registration; ILSVRC2012_img_val.tar)", "6.3 GB",
                $"mkdir -p {source} && tar -xf ILSVRC2012_img_val.tar -C {source} && (cd {source} && curl -sL {ValPrepUrl} | bash)   # moves each image into its class folder"));

        string checkpoint = System.IO.Path.Combine(roots.Models, CheckpointFile);
        inputs.Add(new PaperInput("the reference's pretrained MILAN (base)", checkpoint, File.Exists(checkpoint), CheckpointUrl,
            "about 0.3 GB (estimate: a ResNet-101 of 0.18 GB, the decoder, the LM and two spaCy pipelines)",
            $"curl -L -o {checkpoint} {CheckpointUrl}"));

        string roberta = System.IO.Path.Combine(roots.Models, RobertaFolder);
        inputs.Add(new PaperInput("roberta-large (the paper's BERTScore model)", roberta,
            RobertaFiles.All(f => File.Exists(System.IO.Path.Combine(roberta, f))), RobertaUrl, "1.4 GB (model.safetensors)",
            $"mkdir -p {roberta} && for f in {string.Join(" ", RobertaFiles)}; do curl -L -o {roberta}/$f {RobertaUrl}/$f; done"));
        return inputs;
    }

    /// <summary>Throws a <see cref="MilanInputException"/> listing every missing input, so that nothing starts without them.</summary>
    public static void EnsurePresent(ReproductionRoots roots, PaperSettings settings)
    {
        var missing = For(roots, settings.ResolveKeys(roots.Data)).Where(i => !i.Present).ToList();
        if (missing.Count > 0)
            throw new MilanInputException(
                $"--profile paper: {missing.Count} input{(missing.Count == 1 ? " is" : "s are")} missing, so nothing was started. "
                + "Get them on a connected machine (docs/reproduce.md), then run again:\n" + Describe(missing));
    }

    /// <summary>The inputs that are missing, as text: one block per input with its source, size and command.</summary>
    public static string Describe(IReadOnlyList<PaperInput> missing) => string.Join("\n", missing.Select(m =>
        $"- {m.Name}: {m.Path}\n    source: {m.Source}\n    size: {m.Size}\n    get it: {m.Command}"));

    /// <summary>
    /// Whether a key's exemplar images must be merged from the ImageNet validation folder: an
    /// ImageNet key whose layers (or whose download, if absent) lack images.npy.
    /// </summary>
    public static bool NeedsImageNetImages(DatasetKey key)
    {
        if (key.SourceImages is null || key.Dataset != "imagenet") return false;
        if (!Directory.Exists(key.Folder)) return true;
        return TopImagesDataset.LayerFolders(key.Folder).Any(layer => !File.Exists(System.IO.Path.Combine(layer, TopImagesLayer.ImagesFile)));
    }

    private static bool HasClassFolders(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateDirectories(folder).Any(d => !System.IO.Path.GetFileName(d).StartsWith('.'));
}
