using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// The padding of an ONNX 2-D convolution or pooling window: explicit pads (ONNX order: top, left,
/// bottom, right) or auto_pad (VALID, SAME_UPPER, SAME_LOWER, which depend on the input size).
/// torch's operators pad both sides equally; unequal pads (CNTK's stride-2 convolutions pad 3 before
/// and 2 after) are applied explicitly first, so the result matches ONNX at every input size.
/// </summary>
internal sealed record SpatialPadding(long Top, long Left, long Bottom, long Right, string AutoPad)
{
    public static SpatialPadding FromNode(OnnxNode node)
    {
        string auto = node.String("auto_pad", "NOTSET");
        var pads = node.Ints("pads");
        if (auto == "NOTSET")
        {
            pads ??= [0, 0, 0, 0];
            if (pads.Length != 4) throw node.Error($"pads has {pads.Length} entries; only 2-D windows (4 pads) are supported");
            if (pads.Any(p => p < 0)) throw node.Error($"negative pads [{string.Join(",", pads)}]");
            return new SpatialPadding(pads[0], pads[1], pads[2], pads[3], auto);
        }
        if (pads is not null && pads.Any(p => p != 0)) throw node.Error($"both pads and auto_pad {auto} are given");
        if (auto is "VALID" or "SAME_UPPER" or "SAME_LOWER") return new SpatialPadding(0, 0, 0, 0, auto);
        throw node.Error($"auto_pad '{auto}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    }

    /// <summary>Pads (top, left, bottom, right) for an input of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public (long Top, long Left, long Bottom, long Right) For(long height, long width, long[] kernel, long[] strides, long[] dilations)
    {
        if (AutoPad is not ("SAME_UPPER" or "SAME_LOWER")) return (Top, Left, Bottom, Right);
        var (top, bottom) = Same(height, kernel[0], strides[0], dilations[0]);
        var (left, right) = Same(width, kernel[1], strides[1], dilations[1]);
        return (top, left, bottom, right);
    }

    /// <summary>
    /// <paramref name="x"/> padded explicitly with <paramref name="value"/> unless torch's operator can
    /// pad it itself (equal pads on both sides, at most <paramref name="builtInLimit"/> per dimension),
    /// and the padding left for the operator.
    /// </summary>
    public (Tensor Input, long[] Padding) Prepare(Tensor x, long[] kernel, long[] strides, long[] dilations, double value, long[] builtInLimit)
    {
        var (top, left, bottom, right) = For(x.shape[2], x.shape[3], kernel, strides, dilations);
        if (top == bottom && left == right && top <= builtInLimit[0] && left <= builtInLimit[1])
            return (x, [top, left]);
        return (nn.functional.pad(x, [left, right, top, bottom], PaddingModes.Constant, value), [0, 0]);
    }

    /// <summary>SAME padding: the output has ceil(size / stride) positions; the odd pad goes at the end (UPPER) or the start (LOWER).</summary>
    private (long Before, long After) Same(long size, long kernel, long stride, long dilation)
    {
        long outputSize = (size + stride - 1) / stride;
        long total = Math.Max(0, (outputSize - 1) * stride + (kernel - 1) * dilation + 1 - size);
        long half = total / 2;
        return AutoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
    }
}
