using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX BatchNormalization at inference: (x − mean) / sqrt(var + ε) · scale + B per channel, with
/// torch's BatchNorm names (<c>weight</c>, <c>bias</c>, buffers <c>running_mean</c>, <c>running_var</c>).
/// </summary>
internal sealed class BatchNormNode : nn.Module<Tensor, Tensor>
{
    // Module.to() replaces registered tensors and updates the field that carries the registered name.
    [ComponentName(Name = "weight")]
    private Parameter _weight;
    [ComponentName(Name = "bias")]
    private Parameter _bias;
    [ComponentName(Name = "running_mean")]
    private Tensor _runningMean;
    [ComponentName(Name = "running_var")]
    private Tensor _runningVar;
    private readonly double _epsilon;

    public BatchNormNode(string name, OnnxNode node) : base(name)
    {
        // momentum only matters in training; spatial (opsets 7-8) must be 1, the only form later opsets keep.
        node.OnlyAttributes("epsilon", "momentum", "spatial", "is_test");
        if (node.Int("spatial", 1) != 1) throw node.Error("spatial = 0 (one statistic per activation) is not supported");
        _epsilon = node.Float("epsilon", 1e-5f);
        var tensors = new[] { "scale", "B", "mean", "var" }.Select((role, i) => node.Constant(i + 1, role).to(ScalarType.Float32)).ToArray();
        long channels = tensors[0].shape.Length == 1 ? tensors[0].shape[0] : -1;
        if (channels < 0 || tensors.Any(t => !t.shape.SequenceEqual([channels])))
            throw node.Error($"scale, B, mean and var must be 1-D of one length; got {string.Join(", ", tensors.Select(t => $"[{string.Join(",", t.shape)}]"))}");
        _weight = new Parameter(tensors[0].clone());
        _bias = new Parameter(tensors[1].clone());
        _runningMean = tensors[2].clone();
        _runningVar = tensors[3].clone();
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_buffer("running_mean", _runningMean);
        register_buffer("running_var", _runningVar);
    }

    /// <summary>The per-channel affine form y = x·scale + shift of this norm at inference (for folding it into a convolution).</summary>
    internal (Tensor Scale, Tensor Shift) AffineForm()
    {
        var scale = (_runningVar + _epsilon).rsqrt() * _weight;
        return (scale, _bias - _runningMean * scale);
    }

    public override Tensor forward(Tensor x) =>
        nn.functional.batch_norm(x, _runningMean, _runningVar, _weight, _bias, training: false, momentum: 0, eps: _epsilon);
}
