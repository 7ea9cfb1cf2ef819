using Milan.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX Conv on images (rank-4 weights): parameters <c>weight</c> and, when given, <c>bias</c>, as in
/// torch's Conv2d, so the state dict of a recognised ResNet carries torchvision's names.
/// </summary>
internal sealed class ConvNode : nn.Module<Tensor, Tensor>
{
    // Module.to() replaces registered tensors and updates the field that carries the registered name.
    [ComponentName(Name = "weight")]
    private Parameter _weight;
    [ComponentName(Name = "bias")]
    private Parameter? _bias;
    private readonly long _groups;
    private readonly SpatialPadding _padding;

    public ConvNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        var weight = node.Constant(1, "weights");
        if (weight.dim() != 4)
            throw node.Error($"weights of rank {weight.dim()}; only 2-D convolutions (rank-4 weights) are supported");
        Window = WindowShape.FromNode(node, weight.shape[2..]);
        _groups = node.Int("group", 1);
        if (_groups < 1 || weight.shape[0] % _groups != 0)
            throw node.Error($"group {_groups} does not divide the {weight.shape[0]} output channels");
        _padding = SpatialPadding.FromNode(node);
        OneDnnChannelTails.Guard(weight.shape, $"ONNX Conv {name}");
        _weight = new Parameter(weight.to(ScalarType.Float32).clone());
        register_parameter("weight", _weight);
        if (node.HasInput(2))
        {
            var bias = node.Constant(2, "bias");
            if (!bias.shape.SequenceEqual([weight.shape[0]]))
                throw node.Error($"bias of shape [{string.Join(",", bias.shape)}]; expected [{weight.shape[0]}]");
            _bias = new Parameter(bias.to(ScalarType.Float32).clone());
            register_parameter("bias", _bias);
        }
    }

    public WindowShape Window { get; }

    public long OutputChannels => _weight.shape[0];

    /// <summary>
    /// Folds <paramref name="norm"/>, which reads this convolution's output and nothing else, into the
    /// weights: w·s and b·s + (β − μ·s) with s = γ/√(σ² + ε) (the rule of <see cref="BatchNormFolding"/>).
    /// </summary>
    internal void Fold(BatchNormNode norm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (scale, shift) = norm.AffineForm();
        var bias = _bias is null ? shift : _bias * scale + shift;
        SetWeights(_weight * scale.reshape(-1, 1, 1, 1), bias);
    }

    /// <summary>Stores the weight channels-last (NHWC strides), as <see cref="SubjectModel.InferenceCopy"/> does for its convolutions.</summary>
    internal void UseChannelsLast()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        SetWeights(_weight.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2), _bias);
    }

    private void SetWeights(Tensor weight, Tensor? bias)
    {
        var (oldWeight, oldBias) = (_weight, _bias);
        // Parameters made inside the caller's dispose scope would be freed with it.
        _weight = (Parameter)new Parameter(weight.detach(), requires_grad: false).DetachFromDisposeScope();
        ConditionallyRegisterParameter("weight", _weight);
        if (bias is not null && !ReferenceEquals(bias, oldBias))
        {
            _bias = (Parameter)new Parameter(bias.detach().contiguous(), requires_grad: false).DetachFromDisposeScope();
            ConditionallyRegisterParameter("bias", _bias);
            oldBias?.Dispose();
        }
        oldWeight.Dispose();
    }

    public override Tensor forward(Tensor x)
    {
        var (input, padding) = _padding.Prepare(x, Window.Kernel, Window.Strides, Window.Dilations, 0, [long.MaxValue, long.MaxValue]);
        using var _ = ReferenceEquals(input, x) ? null : input;
        return nn.functional.conv2d(input, _weight, _bias, Window.Strides, padding, Window.Dilations, _groups);
    }
}
