using System.CommandLine;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models;
using Milan.Models.Onnx;
using Milan.Stats;
using Milan.Torch;
using Spectre.Console;

namespace Milan.Cli.Commands;

/// <summary>
/// <c>milan exemplars</c>: top-k images and 0.99-quantile masks per unit of a model's layers over an
/// image source, written in the MILANNOTATIONS layer layout (docs/exemplars.md).
/// </summary>
public static class ExemplarsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Weights (.safetensors, PyTorch .pt/.pth, or TorchSharp format), an ONNX network (.onnx), a name in the models root "
                          + $"(<name>.safetensors), '{NuGetResNet18.ModelName}' (ImageNet ResNet18 from NuGet), or '{ModelSource.Random}' for freshly initialised weights (seeded by --seed)",
            Required = true,
        };
        var arch = new Option<string?>("--arch")
        {
            Description = $"Architecture ({string.Join(", ", ModelArchitecture.Names)}); needed for '{ModelSource.Random}' and for weights without metadata (not for ONNX)",
        };
        var classes = new Option<int>("--classes") { Description = $"Classes of a '{ModelSource.Random}' model", DefaultValueFactory = _ => 1000 };
        var layers = new Option<string[]>("--layers")
        {
            Description = "Layers to describe (reference names like conv1 layer4, or module paths); default: the architecture's MILAN layers (conv1 layer1..layer4 for a recognised ONNX ResNet)",
            AllowMultipleArgumentsPerToken = true,
        };
        var images = new Option<string>("--images")
        {
            Description = "Image source: a folder with one subfolder per class (ImageFolder order), or a folder holding images.npy",
            Required = true,
        };
        var imageSize = new Option<int>("--image-size")
        {
            Description = "For an image folder: the centre-crop side; images are first resized to 256/224 of it (Resize(256)+CenterCrop(224) at 224)",
            DefaultValueFactory = _ => 224,
        };
        var maxImagePixels = new Option<long>("--max-image-pixels")
        {
            Description = "For an image folder: refuse image files larger than this many pixels (width × height), read from the header before decoding (PIL's MAX_IMAGE_PIXELS)",
            DefaultValueFactory = _ => ImageFolderSource.DefaultMaxImagePixels,
        };
        var output = new Option<string>("--out") { Description = "Output folder (one subfolder per layer)", Required = true };
        var k = new Option<int>("--k") { Description = "Exemplar images per unit", DefaultValueFactory = _ => 15 };
        var quantile = new Option<double>("--quantile") { Description = "Activation quantile for the masks", DefaultValueFactory = _ => 0.99 };
        var units = new Option<int?>("--units") { Description = "Keep only the first N units of each layer (writes units.npy)" };
        var device = new Option<string>("--device") { Description = DeviceChoice.Help, DefaultValueFactory = _ => "auto" };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass", DefaultValueFactory = _ => 64 };
        var outputSize = new Option<int?>("--output-size") { Description = "Side of the written images and masks (default: the source's image size)" };
        var method = new Option<QuantileMethod>("--quantile-method")
        {
            Description = "auto (exact when it fits in 1 GiB per layer), exact, or sketch",
            DefaultValueFactory = _ => QuantileMethod.Auto,
        };
        var position = new Option<QuantilePosition>("--quantile-position")
        {
            Description = "Exact quantile position: linear (torch.quantile) or hazen (the reference's read-out)",
            DefaultValueFactory = _ => QuantilePosition.Linear,
        };
        var noSheets = new Option<bool>("--no-sheets") { Description = "Do not write the PNG contact sheets" };
        var seed = new Option<int>("--seed") { Description = $"Seed of the quantile sketch and of '{ModelSource.Random}' weights", DefaultValueFactory = _ => 0 };
        var shard = new Option<string?>("--shard")
        {
            Description = "Compute only shard i of n (i/n, 0-based) of the images and write its mergeable state to --out; "
                          + "'milan exemplars merge' writes the layout from all n shards (docs/sharding.md)",
        };

        var command = new Command("exemplars", "Top-k exemplar images and masks per unit (MILANNOTATIONS layout)");
        foreach (var option in new Option[] { model, arch, classes, layers, images, imageSize, maxImagePixels, output, k, quantile, units, device,
                                              batchSize, outputSize, method, position, noSheets, seed, shard })
            command.Options.Add(option);
        command.Subcommands.Add(ExemplarsMergeCommand.Create());

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var chosenDevice = DeviceChoice.Parse(parse.GetValue(device));
            var source = ImageSources.Open(parse.GetValue(images)!, parse.GetValue(imageSize), parse.GetValue(maxImagePixels));
            using var disposeSource = source as IDisposable;
            int modelSeed = parse.GetValue(seed);
            using var loaded = ModelSource.Load(parse.GetValue(model)!, parse.GetValue(arch), source.ImageSize, chosenDevice,
                                                parse.GetValue(classes), modelSeed);
            var requested = (parse.GetValue(layers) ?? [])
                .SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var traced = loaded.LayersOrDefault(requested).Select(n => new ExemplarLayer(n, loaded.ModulePath(n))).ToList();
            var options = new ExemplarOptions
            {
                K = parse.GetValue(k),
                Quantile = parse.GetValue(quantile),
                Units = parse.GetValue(units),
                BatchSize = parse.GetValue(batchSize),
                OutputSize = parse.GetValue(outputSize),
                QuantileMethod = parse.GetValue(method),
                QuantilePosition = parse.GetValue(position),
                ContactSheets = !parse.GetValue(noSheets),
                Seed = modelSeed,
                Model = loaded.Description,
                Normalization = loaded.Normalization,
            };
            string outFolder = Path.GetFullPath(parse.GetValue(output)!);
            if (parse.GetValue(shard) is { } shardText)
            {
                var slice = ShardSlice.Parse(shardText);
                bool computed = ConsoleProgress.Run(progress => ExemplarShards.Compute(loaded.Model, traced, source, slice, outFolder, options, progress));
                AnsiConsole.MarkupLineInterpolated($"{(computed ? "wrote" : "skipped (already written):")} shard {slice} in {outFolder}");
                return 0;
            }
            var run = ConsoleProgress.Run(progress => ExemplarComputation.Run(loaded.Model, traced, source, outFolder, options, progress));
            if (run.Skipped.Count > 0)
                AnsiConsole.MarkupLineInterpolated($"skipped (already written): {string.Join(", ", run.Skipped)}");
            AnsiConsole.MarkupLineInterpolated($"wrote {run.Written.Count} layer(s) to {outFolder}");
            return 0;
        }));
        return command;
    }
}
