using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>
/// ONNX Pad: constant (with a value), reflect or edge padding, pads given as an attribute (before
/// opset 11) or a stored input. Negative pads crop (constant mode). reflect and edge pad only the
/// last two dimensions, as torch's operators do.
/// </summary>
internal sealed class PadNode : nn.Module<Tensor, Tensor>
{
    private readonly long[] _torchPads;
    private readonly PaddingModes _mode;
    private readonly double _value;

    public PadNode(string name, OnnxNode node) : base(name)
    {
        long[] pads;
        if (node.Opset < 11)
        {
            node.OnlyAttributes("mode", "pads", "value");
            pads = node.Ints("pads") ?? throw node.Error("pads attribute missing");
            _value = node.Float("value", 0f);
        }
        else
        {
            node.OnlyAttributes("mode");
            pads = node.ConstantInts(1, "pads");
            _value = node.HasInput(2) ? node.Constant(2, "constant_value").to(ScalarType.Float64).item<double>() : 0;
            if (node.HasInput(3)) throw node.Error("the axes input (opset 18) is not supported; give pads for every dimension");
        }
        if (pads.Length % 2 != 0) throw node.Error($"pads has an odd number of entries ({pads.Length})");
        string mode = node.String("mode", "constant");
        _mode = mode switch
        {
            "constant" => PaddingModes.Constant,
            "reflect" => PaddingModes.Reflect,
            "edge" => PaddingModes.Replicate,
            _ => throw node.Error($"mode '{mode}' is not one of constant, reflect, edge"),
        };
        // ONNX lists all starts, then all ends, first dimension first; torch pairs (start, end) from the last dimension back.
        int rank = pads.Length / 2;
        var pairs = Enumerable.Range(0, rank).Reverse().Select(d => (pads[d], pads[d + rank])).ToList();
        while (pairs.Count > 1 && pairs[^1] == (0, 0)) pairs.RemoveAt(pairs.Count - 1);
        if (_mode != PaddingModes.Constant && (pairs.Count > 2 || pads.Any(p => p < 0)))
            throw node.Error($"{mode} padding is supported on the last two dimensions only, without cropping");
        _torchPads = pairs.SelectMany(p => new[] { p.Item1, p.Item2 }).ToArray();
    }

    public override Tensor forward(Tensor x) => nn.functional.pad(x, _torchPads, _mode, _value);
}
