using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// ResNet-50/101/152's residual block in torchvision's layout (ResNet v1.5: the stride sits on the
/// 3x3 convolution): conv1 (1x1), bn1, conv2 (3x3, stride s), bn2, conv3 (1x1, 4x channels), bn3,
/// relu, plus an optional downsample on the shortcut.
/// </summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 4;

    private readonly Conv2d _conv1;
    private BatchNorm2d? _bn1;                  // null once folded into _conv1 (SubjectModel.InferenceCopy)
    private readonly Conv2d _conv2;
    private BatchNorm2d? _bn2;
    private readonly Conv2d _conv3;
    private BatchNorm2d? _bn3;
    private readonly nn.Module<Tensor, Tensor> _relu;
    private readonly ShortcutProjection? _downsample;

    public Bottleneck(int inChannels, int channels, int stride) : base(nameof(Bottleneck))
    {
        _conv1 = Register("conv1", nn.Conv2d(inChannels, channels, 1, bias: false));
        _bn1 = Register("bn1", nn.BatchNorm2d(channels));
        _conv2 = Register("conv2", nn.Conv2d(channels, channels, 3, stride: stride, padding: 1, bias: false));
        _bn2 = Register("bn2", nn.BatchNorm2d(channels));
        _conv3 = Register("conv3", nn.Conv2d(channels, channels * Expansion, 1, bias: false));
        _bn3 = Register("bn3", nn.BatchNorm2d(channels * Expansion));
        _relu = Register("relu", nn.ReLU(inplace: true));
        if (stride != 1 || inChannels != channels * Expansion)
            _downsample = Register("downsample", new ShortcutProjection(inChannels, channels * Expansion, stride));
    }

    private T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }

    /// <summary>Folds each batch norm into its convolution where <paramref name="folding"/> allows it (see <see cref="SubjectModel.InferenceCopy"/>).</summary>
    internal void FoldBatchNorms(string prefix, BatchNormFolding folding)
    {
        _bn1 = folding.Fold(_conv1, _bn1, prefix + "conv1", prefix + "bn1");
        _bn2 = folding.Fold(_conv2, _bn2, prefix + "conv2", prefix + "bn2");
        _bn3 = folding.Fold(_conv3, _bn3, prefix + "conv3", prefix + "bn3");
        _downsample?.FoldBatchNorm(prefix + "downsample", folding);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var shortcut = _downsample is null ? input : _downsample.call(input);
        var x = _relu.call(BatchNormFolding.Apply(_bn1, _conv1.call(input)));
        x = _relu.call(BatchNormFolding.Apply(_bn2, _conv2.call(x)));
        x = BatchNormFolding.Apply(_bn3, _conv3.call(x));
        x = x.add_(shortcut);
        return _relu.call(x).MoveToOuterDisposeScope();
    }
}
