using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>ONNX MaxPool on images; padded positions never win (unequal pads are filled with −∞ first).</summary>
internal sealed class MaxPoolNode : nn.Module<Tensor, Tensor>
{
    private readonly SpatialPadding _padding;
    private readonly bool _ceilMode;

    public MaxPoolNode(string name, OnnxNode node) : base(name)
    {
        // storage_order only affects the (unsupported) indices output.
        node.OnlyAttributes("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides");
        Window = WindowShape.FromNode(node);
        _padding = SpatialPadding.FromNode(node);
        _ceilMode = node.Int("ceil_mode", 0) != 0;
    }

    public WindowShape Window { get; }

    public override Tensor forward(Tensor x)
    {
        long[] halfKernel = [Window.Kernel[0] / 2, Window.Kernel[1] / 2];
        var (input, padding) = _padding.Prepare(x, Window.Kernel, Window.Strides, Window.Dilations, double.NegativeInfinity, halfKernel);
        using var _ = ReferenceEquals(input, x) ? null : input;
        return nn.functional.max_pool2d(input, Window.Kernel, Window.Strides, padding, Window.Dilations, _ceilMode);
    }
}
