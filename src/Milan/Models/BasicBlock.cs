using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// ResNet-18/34's residual block in torchvision's layout: conv1 (3x3, stride s), bn1, relu, conv2
/// (3x3), bn2, plus an optional downsample (1x1 conv with stride s, then batch norm) on the shortcut.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    private readonly nn.Module<Tensor, Tensor> _conv1;
    private readonly nn.Module<Tensor, Tensor> _bn1;
    private readonly nn.Module<Tensor, Tensor> _relu;
    private readonly nn.Module<Tensor, Tensor> _conv2;
    private readonly nn.Module<Tensor, Tensor> _bn2;
    private readonly nn.Module<Tensor, Tensor>? _downsample;

    public BasicBlock(int inChannels, int channels, int stride) : base(nameof(BasicBlock))
    {
        _conv1 = Register("conv1", nn.Conv2d(inChannels, channels, 3, stride: stride, padding: 1, bias: false));
        _bn1 = Register("bn1", nn.BatchNorm2d(channels));
        _relu = Register("relu", nn.ReLU(inplace: true));
        _conv2 = Register("conv2", nn.Conv2d(channels, channels, 3, padding: 1, bias: false));
        _bn2 = Register("bn2", nn.BatchNorm2d(channels));
        if (stride != 1 || inChannels != channels * Expansion)
            _downsample = Register("downsample", ResNet.Downsample(inChannels, channels * Expansion, stride));
    }

    private T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }

    public override Tensor forward(Tensor input)
    {
        // An inner scope frees the block's intermediates as soon as it returns (torchsharp-notes §2: 1.19 -> 0.70 GB at 224 px).
        using var scope = NewDisposeScope();
        var shortcut = _downsample is null ? input : _downsample.call(input);
        var x = _relu.call(_bn1.call(_conv1.call(input)));
        x = _bn2.call(_conv2.call(x));
        x = x.add_(shortcut);
        return _relu.call(x).MoveToOuterDisposeScope();
    }
}
