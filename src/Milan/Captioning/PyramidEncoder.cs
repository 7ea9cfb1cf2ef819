using Milan.Datasets;
using Milan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// MILAN's frozen "pyramid" exemplar encoder (milan-spec §3.1). The unmasked image, normalised inside
/// the encoder (ImageNet mean/std), goes through a backbone in eval mode; at each traced layer (for a
/// ResNet conv1 before batch norm, then layer1..layer4) the mask is resized bilinearly to the map
/// (align_corners = false, no antialiasing), normalised to sum 1 unless it is all ≈ 0 (then it is
/// left as is and the pooled features are ≈ 0), and used as weights to pool each channel. The pooled
/// vectors are concatenated, conv1 first: 64+256+512+1024+2048 = 3904 for ResNet-50/101, 1024 for
/// ResNet-18.
/// </summary>
public sealed class PyramidEncoder : IDisposable
{
    /// <summary>The reference's AlexNet pyramid: the five convolutions' raw outputs (64+192+384+256+256 = 1152).</summary>
    public static IReadOnlyList<string> AlexNetLayers { get; } = ["features.0", "features.3", "features.6", "features.8", "features.10"];

    private readonly nn.Module<Tensor, Tensor> _backbone;
    private readonly ImageNormalization _normalization;
    private readonly bool _ownsBackbone;

    public EncoderDescription Description { get; }
    public Device Device { get; }
    public int FeatureSize => Description.FeatureSize;

    private PyramidEncoder(nn.Module<Tensor, Tensor> backbone, bool ownsBackbone, EncoderDescription description, Device device)
    {
        _backbone = backbone;
        _ownsBackbone = ownsBackbone;
        _normalization = description.Normalization;
        Description = description;
        Device = device;
    }

    /// <summary>
    /// Wraps <paramref name="backbone"/> (moved to <paramref name="device"/>, set to eval mode). The
    /// feature size is measured with one small forward pass. <paramref name="weightsFile"/> is only
    /// recorded (with its hash) in the description: load the weights into the backbone beforehand.
    /// A backbone that can is run as its own <see cref="IHasInferenceCopy.InferenceCopy"/> (batch norms
    /// folded into the convolutions, the traced layers unchanged), which the encoder owns.
    /// </summary>
    public static PyramidEncoder Create(
        nn.Module<Tensor, Tensor> backbone,
        string architecture,
        string? weightsFile,
        IReadOnlyList<string>? layers,
        Device device,
        ImageNormalization? normalization = null,
        int probeSize = 64)
    {
        layers ??= EncoderDescription.ResNetLayers;
        normalization ??= ImageNormalization.ImageNet;
        backbone.to(device);
        backbone.eval();
        var runner = IHasInferenceCopy.Of(backbone, layers) ?? backbone;
        try
        {
            int featureSize;
            using (var scope = NewDisposeScope())
            using (inference_mode())
            using (var trace = LayerTrace.Attach(runner, [.. layers]))
            {
                var outputs = trace.Run(zeros(1, 3, probeSize, probeSize, device: device));
                featureSize = layers.Sum(l => (int)outputs[l].shape[1]);
            }
            var description = new EncoderDescription(
                architecture,
                weightsFile is null ? null : Path.GetFullPath(weightsFile),
                weightsFile is null ? null : EncoderDescription.Sha256Of(weightsFile),
                [.. layers], featureSize, normalization.Mean, normalization.Std);
            return new PyramidEncoder(runner, runner != backbone, description, device);
        }
        catch
        {
            if (runner != backbone) runner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The encoder of a subject-model weights file (safetensors or TorchSharp format, see Models/): a
    /// ResNet traced at conv1 and layer1..layer4, an AlexNet at its five convolutions. The
    /// architecture comes from the file's metadata, or <paramref name="architecture"/> for converted
    /// torchvision weights.
    /// </summary>
    public static PyramidEncoder FromWeights(string weightsFile, string? architecture, Device device)
    {
        var model = SubjectModel.Load(weightsFile, architecture, device: device);
        var layers = model.Architecture.Family == ArchitectureFamily.ResNet ? EncoderDescription.ResNetLayers : AlexNetLayers;
        return Owning(model, () => Create(model, model.Spec.Architecture, weightsFile, layers, device, probeSize: model.Spec.ImageSize));
    }

    /// <summary>
    /// The encoder stored in a reference MILAN checkpoint: its backbone (a torchvision ResNet or
    /// AlexNet, e.g. the released models' ResNet-101), its input normalisation and the layers of its
    /// config. The description names the checkpoint file and its SHA-256. The encoder owns the model.
    /// </summary>
    public static PyramidEncoder FromReference(ReferenceCheckpoint checkpoint, Device device)
    {
        var model = SubjectModel.FromTensors(checkpoint.EncoderArchitecture, checkpoint.BackboneWeights, checkpoint.Path + " (encoder)", device: device);
        return Owning(model, () => Create(model, checkpoint.EncoderArchitecture, checkpoint.Path, checkpoint.EncoderLayers, device,
            new ImageNormalization(checkpoint.Mean, checkpoint.Std), probeSize: model.Spec.ImageSize));
    }

    /// <summary>
    /// The encoder <paramref name="create"/> makes of a model loaded for it, owning that model: Create runs
    /// the model's inference copy when it has one (and owns the copy), so the loaded model is then disposed.
    /// </summary>
    private static PyramidEncoder Owning(SubjectModel model, Func<PyramidEncoder> create)
    {
        bool owned = false;
        try
        {
            var encoder = create();
            owned = encoder._backbone == model;
            return owned ? new PyramidEncoder(model, true, encoder.Description, encoder.Device) : encoder;
        }
        finally
        {
            if (!owned) model.Dispose();
        }
    }

    /// <summary>
    /// Features (N, D) on <see cref="Device"/> of images (N, 3, S, S) uint8 with masks (N, 1, S, S).
    /// </summary>
    public Tensor Encode(Tensor images, Tensor masks)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"images must be (N, 3, S, S); got [{string.Join(",", images.shape)}]");
        if (masks.dim() != 4 || masks.shape[1] != 1 || masks.shape[0] != images.shape[0])
            throw new ArgumentException($"masks must be (N, 1, S, S) for {images.shape[0]} images; got [{string.Join(",", masks.shape)}]");
        using var scope = NewDisposeScope();
        Tensor features;
        using (inference_mode())
        using (var trace = LayerTrace.Attach(_backbone, [.. Description.Layers]))
        {
            var outputs = trace.Run(_normalization.Normalize(images, Device));
            var maskValues = masks.to(Device).to(ScalarType.Float32);
            features = cat(Description.Layers.Select(l => PoolMasked(outputs[l], maskValues)).ToList(), 1);
        }
        // Copied outside inference mode: the features are ordinary tensors for whatever trains on them.
        return features.clone().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mask-weighted spatial average of each channel of <paramref name="map"/> (N, C, h, w): the mask
    /// (N, 1, H, W) is bilinearly resized to (h, w) (align_corners = false) and divided by its sum,
    /// unless every value is ≈ 0 (|m| ≤ 1e-8, torch.isclose to 0), in which case it is used as is.
    /// Returns (N, C).
    /// </summary>
    public static Tensor PoolMasked(Tensor map, Tensor masks)
    {
        using var scope = NewDisposeScope();
        var resized = nn.functional.interpolate(masks.to(map.dtype), [map.shape[2], map.shape[3]],
            mode: InterpolationMode.Bilinear, align_corners: false);
        var sums = resized.sum([2, 3], keepdim: true);
        var blank = resized.abs().le(1e-8).all(2, keepdim: true).all(3, keepdim: true);
        var weights = where(blank, resized, resized / sums);
        return (map * weights).sum([2, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Encodes neurons in batches of <paramref name="neuronsPerBatch"/>: yields (n, K, D) float32 CPU
    /// tensors (the caller disposes them), in order. Every neuron must have the same K.
    /// </summary>
    public IEnumerable<Tensor> EncodeNeurons(IEnumerable<NeuronExemplars> neurons, int neuronsPerBatch = 4)
    {
        var pending = new List<NeuronExemplars>(neuronsPerBatch);
        foreach (var neuron in neurons)
        {
            pending.Add(neuron);
            if (pending.Count == neuronsPerBatch)
            {
                yield return EncodeBatch(pending);
                pending.Clear();
            }
        }
        if (pending.Count > 0) yield return EncodeBatch(pending);
    }

    private Tensor EncodeBatch(List<NeuronExemplars> neurons)
    {
        using var scope = NewDisposeScope();
        var images = neurons.Select(n => n.ReadImages()).ToList();
        var masks = neurons.Select(n => n.ReadMasks()).ToList();
        long k = images[0].shape[0];
        for (int i = 0; i < neurons.Count; i++)
        {
            if (images[i].shape[0] != k || masks[i].shape[0] != k)
                throw new MilanInputException(
                    $"layer {neurons[i].Layer} unit {neurons[i].Unit}: {images[i].shape[0]} images and {masks[i].shape[0]} masks, but other neurons have {k} exemplars");
        }
        var features = Encode(cat(images, 0), cat(masks, 0)).view(neurons.Count, k, -1).cpu();
        return features.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        if (_ownsBackbone) _backbone.Dispose();
    }
}
