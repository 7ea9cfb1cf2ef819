using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// torchvision's shortcut projection of a residual block: a 1x1 convolution with the block's stride,
/// then batch norm, under torchvision's names ("0", "1", as the nn.Sequential it is there).
/// </summary>
internal sealed class ShortcutProjection : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _convolution;
    private BatchNorm2d? _norm;                 // null once folded into the convolution

    public ShortcutProjection(int inChannels, int outChannels, int stride) : base(nameof(ShortcutProjection))
    {
        _convolution = nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false);
        _norm = nn.BatchNorm2d(outChannels);
        register_module("0", _convolution);
        register_module("1", _norm);
    }

    internal void FoldBatchNorm(string prefix, BatchNormFolding folding) =>
        _norm = folding.Fold(_convolution, _norm, prefix + ".0", prefix + ".1");

    public override Tensor forward(Tensor input) => BatchNormFolding.Apply(_norm, _convolution.call(input));
}
