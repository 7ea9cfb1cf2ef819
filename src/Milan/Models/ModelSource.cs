using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// Resolves what a user names as a model (the CLI's --model, notebooks): a weight file, a name in the
/// models root (<c>&lt;name&gt;.safetensors</c>), or <see cref="Random"/> for freshly initialised weights.
/// </summary>
public static class ModelSource
{
    /// <summary>The name that builds freshly initialised weights (seeded).</summary>
    public const string Random = "random";

    /// <summary>A loaded model and a one-line account of where its weights came from (for manifests).</summary>
    public sealed record Loaded(SubjectModel Model, string Description) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    /// <summary>
    /// Loads <paramref name="model"/>. <paramref name="architecture"/> is needed for <see cref="Random"/> and for
    /// weights without metadata; <paramref name="classes"/> and <paramref name="seed"/> only size and seed a random
    /// model; <paramref name="imageSize"/> sizes the described layers.
    /// </summary>
    public static Loaded Load(string model, string? architecture, int imageSize, Device device, int classes = 1000, int seed = 0, string? modelsRoot = null)
    {
        if (string.Equals(model, Random, StringComparison.OrdinalIgnoreCase))
        {
            if (architecture is null) throw new MilanInputException($"model '{Random}': an architecture is needed to build it ({string.Join(", ", ModelArchitecture.Names)})");
            var spec = new ModelSpec(ModelArchitecture.Get(architecture).Name, classes, imageSize);
            return new Loaded(SubjectModel.Create(spec, device, seed), $"{spec.Architecture} with random weights (seed {seed})");
        }
        string path = ResolveWeights(model, modelsRoot ?? MilanRoots.Models);
        var loaded = SubjectModel.Load(path, architecture, imageSize, device);
        return new Loaded(loaded, $"{loaded.Spec.Architecture} weights {path}");
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
            + $"give a path, a model name, or '{Random}'");
    }
}
