using Milan.Datasets;
using Milan.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Resolves what a user names as a model (the CLI's --model, notebooks): a weight file (safetensors,
/// PyTorch .pt/.pth, TorchSharp format) of one of our architectures, an ONNX network (.onnx, built by
/// <see cref="OnnxNetwork"/>), a name in the models root (<c>&lt;name&gt;.safetensors</c>),
/// <see cref="NuGetResNet18.ModelName"/> for the ImageNet ResNet18 restored from NuGet, or
/// <see cref="Random"/> for freshly initialised weights.
/// </summary>
public static class ModelSource
{
    /// <summary>The name that builds freshly initialised weights (seeded).</summary>
    public const string Random = "random";

    public const string OnnxExtension = ".onnx";

    /// <summary>
    /// A loaded model with what describing it needs: a one-line account of where it came from (for
    /// manifests), how image bytes become its input, the layers MILAN describes by default and the
    /// module path each layer name stands for.
    /// </summary>
    public sealed class Loaded : IDisposable
    {
        private readonly Func<string, string> _modulePath;

        private Loaded(nn.Module<Tensor, Tensor> model, string description, ImageNormalization normalization,
                       IReadOnlyList<string> defaultLayers, Func<string, string> modulePath)
        {
            Model = model;
            Description = description;
            Normalization = normalization;
            DefaultLayers = defaultLayers;
            _modulePath = modulePath;
        }

        public nn.Module<Tensor, Tensor> Model { get; }

        public string Description { get; }

        public ImageNormalization Normalization { get; }

        /// <summary>The layers described when none are named (milan-spec §1.4; conv1, layer1..layer4 for ResNets).</summary>
        public IReadOnlyList<string> DefaultLayers { get; }

        /// <summary><paramref name="requested"/> layer names, or the default ones when none are given; an input error when the model has no defaults.</summary>
        public IReadOnlyList<string> LayersOrDefault(IReadOnlyList<string> requested)
        {
            if (requested.Count > 0) return requested;
            if (DefaultLayers.Count > 0) return DefaultLayers;
            var some = Model.named_modules().Where(m => m.name.Length > 0 && m.module is nn.Module<Tensor, Tensor>).Select(m => m.name).Take(8);
            throw new MilanInputException($"{Description}: no layers are described by default for this network; name them (module paths such as {string.Join(", ", some)}, ...)");
        }

        /// <summary>The module to hook for a layer name (AlexNet's conv1..conv5 are aliases; anything else is its own path).</summary>
        public string ModulePath(string layer) => _modulePath(layer);

        internal static Loaded Of(SubjectModel model, string description) =>
            new(model, description, ImageNormalization.ImageNet, model.DefaultLayers.Select(l => l.Name).ToList(), model.ModulePath);

        internal static Loaded Of(OnnxNetwork network) =>
            new(network, network.Description, network.Normalization, network.DefaultLayerNames, layer => layer);

        public void Dispose() => Model.Dispose();
    }

    /// <summary>
    /// Loads <paramref name="model"/>. <paramref name="architecture"/> is needed for <see cref="Random"/> and for
    /// weights without metadata; <paramref name="classes"/> and <paramref name="seed"/> only size and seed a random
    /// model; <paramref name="imageSize"/> sizes the described layers (and must suit an ONNX network's fixed shapes).
    /// </summary>
    public static Loaded Load(string model, string? architecture, int imageSize, Device device, int classes = 1000, int seed = 0, string? modelsRoot = null)
    {
        if (string.Equals(model, Random, StringComparison.OrdinalIgnoreCase))
        {
            if (architecture is null) throw new MilanInputException($"model '{Random}': an architecture is needed to build it ({string.Join(", ", ModelArchitecture.Names)})");
            var spec = new ModelSpec(ModelArchitecture.Get(architecture).Name, classes, imageSize);
            return Loaded.Of(SubjectModel.Create(spec, device, seed), $"{spec.Architecture} with random weights (seed {seed})");
        }
        string path = string.Equals(model, NuGetResNet18.ModelName, StringComparison.OrdinalIgnoreCase)
            ? NuGetResNet18.Find()
            : ResolveWeights(model, modelsRoot ?? MilanRoots.Models);
        if (path.EndsWith(OnnxExtension, StringComparison.OrdinalIgnoreCase))
        {
            if (architecture is not null)
                throw new MilanInputException($"model '{model}': an ONNX file brings its own architecture; leave out the architecture ('{architecture}')");
            var network = OnnxNetwork.Load(path, device: device);
            try
            {
                network.CheckRuns(imageSize);
                return Loaded.Of(network);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        var loaded = SubjectModel.Load(path, architecture, imageSize, device);
        return Loaded.Of(loaded, $"{loaded.Spec.Architecture} weights {path}");
    }

    /// <summary>The weight file a model name stands for: an existing path, else &lt;name&gt;.safetensors or &lt;name&gt; in the models root.</summary>
    public static string ResolveWeights(string model, string modelsRoot)
    {
        if (File.Exists(model)) return Path.GetFullPath(model);
        foreach (var candidate in new[] { model + WeightsFile.SafeTensorsExtension, model })
        {
            string path = Path.Combine(modelsRoot, candidate);
            if (File.Exists(path)) return path;
        }
        throw new MilanInputException(
            $"model '{model}': no such weight file, and no {model}{WeightsFile.SafeTensorsExtension} in the models root {modelsRoot}; "
            + $"give a path, a model name, '{NuGetResNet18.ModelName}' or '{Random}'");
    }
}
