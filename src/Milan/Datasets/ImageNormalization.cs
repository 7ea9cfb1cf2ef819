using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>
/// Turns image bytes into model input, (x/255 − mean)/std per channel, and back. ImageNet's
/// statistics are the default, as in the reference (which also uses them for Places365).
/// </summary>
public sealed record ImageNormalization(float[] Mean, float[] Std)
{
    public static readonly ImageNormalization ImageNet = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Bytes / 255 and nothing else: for models that bring their own input transform (an imported preprocessing graph).</summary>
    public static readonly ImageNormalization UnitRange = new([0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>(B,3,S,S) uint8 → float32 model input on <paramref name="device"/>.</summary>
    public Tensor Normalize(Tensor bytes, Device device)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(Mean, device: device).reshape(1, 3, 1, 1);
        var std = tensor(Std, device: device).reshape(1, 3, 1, 1);
        // In place after the conversion: the same arithmetic as ((x/255) − mean)/std, without two more full-size buffers.
        var x = bytes.to(device).to(ScalarType.Float32, copy: true);
        // An explicit Scalar held to the end of the method: an implicit 255f becomes a Scalar that nothing references
        // once its handle is passed, so the GC may finalize (free) it during the native call; that crashed a seeds run
        // with "Unknown scalar type" inside div_.
        using var scale = 255f.ToScalar();
        return x.div_(scale).sub_(mean).div_(std).MoveToOuterDisposeScope();
    }

    /// <summary>Model input back to (B,3,S,S) uint8 on the CPU (rounded and clamped), as the reference's renormaliser.</summary>
    public Tensor ToBytes(Tensor normalized)
    {
        using var scope = NewDisposeScope();
        var device = normalized.device;
        var mean = tensor(Mean, device: device).reshape(1, 3, 1, 1);
        var std = tensor(Std, device: device).reshape(1, 3, 1, 1);
        using var scale = 255f.ToScalar();
        using var low = 0.ToScalar();
        using var high = 255.ToScalar();
        var x = (normalized * std + mean).mul_(scale);
        return x.round().clamp(low, high).to(ScalarType.Byte).cpu().MoveToOuterDisposeScope();
    }
}
