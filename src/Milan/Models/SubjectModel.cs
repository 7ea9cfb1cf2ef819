using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// A subject model built by this library (ResNet or AlexNet in torchvision's layout): a classifier
/// taking normalised images (B, 3, S, S) to logits (B, classes), which knows its
/// <see cref="ModelSpec"/> and its default traced layers. Build one with <see cref="Create"/> or
/// <see cref="Load(string, ModelSpec, Device?)"/>; trace it with <see cref="LayerTrace"/> at
/// <see cref="ModulePath"/>s, ablate it with <see cref="UnitAblation"/>.
/// </summary>
public abstract class SubjectModel : nn.Module<Tensor, Tensor>, IHasInferenceCopy
{
    private protected SubjectModel(ModelSpec spec) : base(spec.Architecture)
    {
        Spec = spec;
        Architecture = spec.Describe();
    }

    public ModelSpec Spec { get; }

    public ModelArchitecture Architecture { get; }

    /// <summary>The layers MILAN traces by default (milan-spec §1.4), sized for this model's width and image size.</summary>
    public IReadOnlyList<TracedLayer> DefaultLayers => Architecture.DefaultLayers(Spec.ImageSize, Spec.Width);

    /// <summary>The module path to hook for a layer name (AlexNet's conv1..conv5 are aliases; see <see cref="ModelArchitecture"/>).</summary>
    public string ModulePath(string layer) => Architecture.ModulePath(layer);

    /// <summary>Registers a submodule under its torchvision name and returns it.</summary>
    private protected T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }

    /// <summary>
    /// A freshly initialised model on <paramref name="device"/> (CPU when null), in eval mode. With a
    /// <paramref name="seed"/>, the global torch generator is seeded first so the weights are
    /// reproducible; they are drawn on the CPU, so the same seed gives the same weights on any device.
    /// </summary>
    public static SubjectModel Create(ModelSpec spec, Device? device = null, long? seed = null)
    {
        spec.Validate();
        spec = spec with { Architecture = spec.Describe().Name }; // the canonical (lower-case) name, as stored in metadata
        if (seed is { } value) manual_seed(value);
        SubjectModel model = spec.Describe().Family switch
        {
            ArchitectureFamily.ResNet => new ResNet(spec),
            _ => new AlexNet(spec),
        };
        model.eval();
        OneDnnChannelTails.Guard(model, $"{spec.Architecture} of width {spec.Width}");
        if (device is not null) model.to(device);
        return model;
    }

    /// <summary>A model of <paramref name="spec"/> with the weights in <paramref name="path"/> (safetensors or TorchSharp format), in eval mode.</summary>
    public static SubjectModel Load(string path, ModelSpec spec, Device? device = null)
    {
        using var contents = WeightsFile.Read(path);
        if (ModelSpec.FromMetadata(contents.Metadata, path) is { } stored && stored != spec)
            throw MilanInputException.InFile(path, $"weights were saved for {Describe(stored)}, not {Describe(spec)}");
        return FromWeights(spec, contents.Tensors, path, device);
    }

    /// <summary>
    /// A model with the weights in <paramref name="path"/>, its spec read from the file's metadata
    /// (written by <see cref="SaveWeights"/> to safetensors). Without metadata, e.g. for converted
    /// torchvision weights, <paramref name="architecture"/> is needed and the classes and width are
    /// read off the weight shapes; <paramref name="imageSize"/> (default 224) only sizes the
    /// described layers and checks AlexNet's minimum input.
    /// </summary>
    public static SubjectModel Load(string path, string? architecture = null, int? imageSize = null, Device? device = null)
    {
        using var contents = WeightsFile.Read(path);
        var spec = ModelSpec.FromMetadata(contents.Metadata, path);
        if (spec is not null)
        {
            if (architecture is not null && !string.Equals(ModelArchitecture.Get(architecture).Name, spec.Architecture, StringComparison.Ordinal))
                throw MilanInputException.InFile(path, $"weights were saved for {spec.Architecture}, not {architecture}");
            if (imageSize is { } size) spec = spec with { ImageSize = size };
        }
        else
        {
            if (architecture is null)
                throw MilanInputException.InFile(path, $"the file does not say which architecture it holds; name one of {string.Join(", ", ModelArchitecture.Names)}");
            spec = InferSpec(ModelArchitecture.Get(architecture), contents.Tensors, imageSize ?? 224, path);
        }
        return FromWeights(spec, contents.Tensors, path, device);
    }

    /// <summary>
    /// A model of <paramref name="architecture"/> with these tensors (torchvision's names; classes and
    /// width read off their shapes), e.g. the encoder inside a reference MILAN checkpoint.
    /// </summary>
    public static SubjectModel FromTensors(string architecture, IReadOnlyDictionary<string, Tensor> tensors, string source, int imageSize = 224, Device? device = null) =>
        FromWeights(InferSpec(ModelArchitecture.Get(architecture), tensors, imageSize, source), tensors, source, device);

    /// <summary>
    /// A copy of this model for inference (eval mode, same weights and device) that computes the same
    /// outputs, up to float rounding, at less cost: every batch norm is folded into the convolution
    /// before it (w·s and (b − μ)·s + β with s = γ/√(σ² + ε)), and the convolution weights are stored
    /// channels-last (NHWC strides), which makes libtorch's oneDNN convolutions run channels-last from
    /// the first layer on (27 % less CPU time for ResNet18 at 224 px here; docs/performance.md). Layer
    /// outputs then come with channels-last strides; their values and shapes are unchanged. A pair stays
    /// unfolded when its convolution or its batch norm is one of <paramref name="tracedPaths"/>, so a
    /// traced output keeps its meaning (a ResNet's traced conv1 is the raw convolution, before bn1).
    /// The copy's batch norm modules stay registered but are no longer called; it is meant for forward
    /// passes only. The global random generator is left as it was. The caller disposes the copy.
    /// </summary>
    public SubjectModel InferenceCopy(IEnumerable<string> tracedPaths)
    {
        var traced = tracedPaths.ToHashSet(StringComparer.Ordinal);
        var device = parameters().Select(p => p.device).FirstOrDefault() ?? CPU;
        SubjectModel copy;
        using (var rng = random.get_rng_state())
        {
            copy = Create(Spec);       // building modules draws initial weights from the global generator
            random.set_rng_state(rng);
        }
        try
        {
            using (no_grad())
            {
                var source = state_dict();
                foreach (var (name, tensor) in copy.state_dict()) tensor.copy_(source[name]);
            }
            copy.to(device);
            copy.eval();
            copy.FoldBatchNorms(new BatchNormFolding(path => !traced.Contains(path)));
            using (NewDisposeScope())
            using (no_grad())
            {
                foreach (var convolution in copy.modules().OfType<TorchSharp.Modules.Conv2d>())
                    convolution.weight = new TorchSharp.Modules.Parameter(
                        convolution.weight.detach().permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2), requires_grad: false);
            }
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    nn.Module<Tensor, Tensor> IHasInferenceCopy.InferenceCopy(IEnumerable<string> tracedPaths) => InferenceCopy(tracedPaths);

    /// <summary>Folds batch norms into convolutions where <paramref name="folding"/> allows both module paths (see <see cref="InferenceCopy"/>).</summary>
    private protected virtual void FoldBatchNorms(BatchNormFolding folding)
    {
    }

    /// <summary>Whether <see cref="ForwardFrom"/> can resume after the module at <paramref name="modulePath"/>.</summary>
    public virtual bool ResumesAfter(string modulePath) => false;

    /// <summary>
    /// The rest of a forward pass from the output of the module at <paramref name="modulePath"/>: the logits the
    /// model gives when that module returns <paramref name="output"/>, without running the modules before it, with
    /// the same operations as <c>forward</c>. It lets every unit of a layer be ablated in one cached layer output
    /// (<c>ClassifierAccuracy.MeasureEachAblated</c>). Only where <see cref="ResumesAfter"/> says so.
    /// </summary>
    public virtual Tensor ForwardFrom(string modulePath, Tensor output) =>
        throw new NotSupportedException($"{Spec.Architecture} cannot resume a forward pass after '{modulePath}'");

    /// <summary>
    /// Whether the output of the module at <paramref name="modulePath"/> is changed in place later in a
    /// forward pass (by an in-place ReLU or residual addition), so that <see cref="LayerTrace"/> has to
    /// copy it to keep what the module returned.
    /// </summary>
    public abstract bool OutputChangedInPlace(string modulePath);

    /// <summary>Copies the weights in <paramref name="path"/> into this model (strict; on its current device).</summary>
    public void LoadWeights(string path) => WeightsFile.Load(this, path);

    /// <summary>Saves the weights with torchvision's names: safetensors with this model's spec as metadata (.safetensors), else TorchSharp's format.</summary>
    public void SaveWeights(string path) => WeightsFile.Save(this, path, Spec.ToMetadata());

    private static SubjectModel FromWeights(ModelSpec spec, IReadOnlyDictionary<string, Tensor> tensors, string path, Device? device)
    {
        var model = Create(spec);
        try
        {
            ModuleWeights.Load(model, tensors, path);
            if (device is not null) model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Classes from the last linear layer's rows, width from the first convolution's filters.</summary>
    private static ModelSpec InferSpec(ModelArchitecture architecture, IReadOnlyDictionary<string, Tensor> tensors, int imageSize, string path)
    {
        var (first, last) = architecture.Family == ArchitectureFamily.ResNet
            ? ("conv1.weight", "fc.weight")
            : ("features.0.weight", "classifier.6.weight");
        long Rows(string key) => tensors.TryGetValue(key, out var t) && t.dim() >= 2
            ? t.shape[0]
            : throw MilanInputException.InFile(path, $"no tensor '{key}' of rank >= 2, so these are not {architecture.Name} weights in torchvision's names");
        var spec = new ModelSpec(architecture.Name, (int)Rows(last), imageSize, (int)Rows(first));
        spec.Validate();
        return spec;
    }

    private static string Describe(ModelSpec spec) =>
        $"{spec.Architecture} ({spec.Classes} classes, {spec.ImageSize} px, width {spec.Width})";
}
