using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX AveragePool on images. With count_include_pad = 0 (the default) padded positions do not
/// count in the mean; where torch cannot pad itself (unequal or wide pads) the window sums of the
/// zero-padded input are divided by the window counts of valid pixels.
/// </summary>
internal sealed class AveragePoolNode : nn.Module<Tensor, Tensor>
{
    private readonly SpatialPadding _padding;
    private readonly bool _ceilMode;
    private readonly bool _countPadding;

    public AveragePoolNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides");
        Window = WindowShape.FromNode(node);
        if (Window.Dilations.Any(d => d != 1)) throw node.Error("dilated average pooling is not supported");
        _padding = SpatialPadding.FromNode(node);
        _ceilMode = node.Int("ceil_mode", 0) != 0;
        _countPadding = node.Int("count_include_pad", 0) != 0;
    }

    public WindowShape Window { get; }

    public override Tensor forward(Tensor x)
    {
        var (top, left, bottom, right) = _padding.For(x.shape[2], x.shape[3], Window.Kernel, Window.Strides, Window.Dilations);
        bool builtIn = top == bottom && left == right && top <= Window.Kernel[0] / 2 && left <= Window.Kernel[1] / 2;
        if (builtIn)
            return nn.functional.avg_pool2d(x, Window.Kernel, Window.Strides, [top, left], _ceilMode, _countPadding);
        if (_ceilMode) throw new MilanInputException($"{GetName()}: AveragePool with ceil_mode and unequal pads is not supported");

        using var scope = NewDisposeScope();
        long[] pads = [left, right, top, bottom];
        var sums = nn.functional.avg_pool2d(nn.functional.pad(x, pads), Window.Kernel, Window.Strides, [0, 0], false, true);
        if (_countPadding) return sums.MoveToOuterDisposeScope();
        var valid = nn.functional.pad(ones(1, 1, x.shape[2], x.shape[3], dtype: x.dtype, device: x.device), pads);
        var counts = nn.functional.avg_pool2d(valid, Window.Kernel, Window.Strides, [0, 0], false, true);
        return (sums / counts).MoveToOuterDisposeScope();
    }
}
