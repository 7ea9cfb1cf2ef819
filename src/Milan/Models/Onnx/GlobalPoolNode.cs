using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Models.Onnx;

/// <summary>ONNX GlobalAveragePool and GlobalMaxPool: the mean or maximum over every spatial position, kept as 1x1.</summary>
internal sealed class GlobalPoolNode : nn.Module<Tensor, Tensor>
{
    private readonly bool _max;

    public GlobalPoolNode(string name, OnnxNode node) : base(name)
    {
        node.OnlyAttributes();
        _max = node.OpType == "GlobalMaxPool";
    }

    public override Tensor forward(Tensor x)
    {
        long[] spatial = Enumerable.Range(2, (int)x.dim() - 2).Select(d => (long)d).ToArray();
        return _max ? x.amax(spatial, keepdim: true) : x.mean(spatial, keepdim: true);
    }
}
