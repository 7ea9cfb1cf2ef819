using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// ResNet-18/34's residual block in torchvision's layout: conv1 (3x3, stride s), bn1, relu, conv2
/// (3x3), bn2, plus an optional downsample (1x1 conv with stride s, then batch norm) on the shortcut.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    private readonly Conv2d _conv1;
    private BatchNorm2d? _bn1;                  // null once folded into _conv1 (SubjectModel.InferenceCopy)
    private readonly nn.Module<Tensor, Tensor> _relu;
    private readonly Conv2d _conv2;
    private BatchNorm2d? _bn2;
    private readonly ShortcutProjection? _downsample;

    public BasicBlock(int inChannels, int channels, int stride) : base(nameof(BasicBlock))
    {
        _conv1 = Register("conv1", nn.Conv2d(inChannels, channels, 3, stride: stride, padding: 1, bias: false));
        _bn1 = Register("bn1", nn.BatchNorm2d(channels));
        _relu = Register("relu", nn.ReLU(inplace: true));
        _conv2 = Register("conv2", nn.Conv2d(channels, channels, 3, padding: 1, bias: false));
        _bn2 = Register("bn2", nn.BatchNorm2d(channels));
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
        _downsample?.FoldBatchNorm(prefix + "downsample", folding);
    }

    public override Tensor forward(Tensor input)
    {
        // An inner scope frees the block's intermediates as soon as it returns (torchsharp-notes §2: 1.19 -> 0.70 GB at 224 px).
        using var scope = NewDisposeScope();
        var shortcut = _downsample is null ? input : _downsample.call(input);
        var x = _relu.call(BatchNormFolding.Apply(_bn1, _conv1.call(input)));
        x = BatchNormFolding.Apply(_bn2, _conv2.call(x));
        x = x.add_(shortcut);
        return _relu.call(x).MoveToOuterDisposeScope();
    }
}
