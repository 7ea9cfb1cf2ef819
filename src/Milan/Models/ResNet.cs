using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// torchvision's ResNet in its module layout and state-dict names (conv1, bn1, relu, maxpool,
/// layer1..layer4 of BasicBlock or Bottleneck, avgpool, fc), with a base width (64 in torchvision;
/// the channels of layer1..layer4 are width·2^i, times 4 for Bottleneck) and any number of classes.
/// The adaptive average pool accepts any input size. Initialisation follows torchvision:
/// Kaiming-normal (fan-out, ReLU) convolutions, batch norms at weight 1 and bias 0, the default
/// Linear initialisation for fc.
/// </summary>
public sealed class ResNet : SubjectModel
{
    private readonly Conv2d _conv1;
    private BatchNorm2d? _bn1;                  // null once folded into _conv1 (InferenceCopy)
    private readonly HashSet<string> _folded = new(StringComparer.Ordinal);
    private readonly nn.Module<Tensor, Tensor> _relu;
    private readonly nn.Module<Tensor, Tensor> _maxpool;
    private readonly nn.Module<Tensor, Tensor>[] _layers;
    private readonly nn.Module<Tensor, Tensor> _avgpool;
    private readonly nn.Module<Tensor, Tensor> _fc;

    internal ResNet(ModelSpec spec) : base(spec)
    {
        var architecture = spec.Describe();
        if (architecture.Family != ArchitectureFamily.ResNet)
            throw new ArgumentException($"{spec.Architecture} is not a ResNet", nameof(spec));
        int width = spec.Width;
        int expansion = architecture.UsesBottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;

        _conv1 = Register("conv1", nn.Conv2d(3, width, 7, stride: 2, padding: 3, bias: false));
        _bn1 = Register("bn1", nn.BatchNorm2d(width));
        _relu = Register("relu", nn.ReLU(inplace: true));
        _maxpool = Register("maxpool", nn.MaxPool2d(3, stride: 2, padding: 1));
        _layers = new nn.Module<Tensor, Tensor>[4];
        int inChannels = width;
        for (int i = 0; i < 4; i++)
        {
            int channels = width << i;
            int stride = i == 0 ? 1 : 2;
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int b = 0; b < architecture.BlocksPerLayer[i]; b++)
            {
                blocks.Add(architecture.UsesBottleneck
                    ? new Bottleneck(inChannels, channels, b == 0 ? stride : 1)
                    : new BasicBlock(inChannels, channels, b == 0 ? stride : 1));
                inChannels = channels * expansion;
            }
            _layers[i] = Register($"layer{i + 1}", nn.Sequential(blocks));
        }
        _avgpool = Register("avgpool", nn.AdaptiveAvgPool2d([1, 1]));
        _fc = Register("fc", nn.Linear(inChannels, spec.Classes));
        InitializeLikeTorchvision();
    }

    private protected override void FoldBatchNorms(BatchNormFolding folding)
    {
        _bn1 = folding.Fold(_conv1, _bn1, "conv1", "bn1");
        for (int i = 0; i < _layers.Length; i++)
        {
            foreach (var (name, block) in _layers[i].named_children())
            {
                string prefix = $"layer{i + 1}.{name}.";
                if (block is BasicBlock basic) basic.FoldBatchNorms(prefix, folding);
                else ((Bottleneck)block).FoldBatchNorms(prefix, folding);
            }
        }
        _folded.UnionWith(folding.FoldedConvolutions);
    }

    /// <summary>
    /// Batch norm outputs outside the shortcut go into an in-place ReLU or residual addition, and so do
    /// the outputs of convolutions whose norm was folded into them; nothing else is changed in place.
    /// </summary>
    public override bool OutputChangedInPlace(string modulePath)
    {
        if (modulePath.Contains("downsample", StringComparison.Ordinal)) return false;
        return ModulePaths.Find(this, modulePath) is BatchNorm2d || _folded.Contains(modulePath);
    }

    private void InitializeLikeTorchvision()
    {
        using var _ = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is TorchSharp.Modules.Conv2d conv)
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardFrom("conv1", _conv1.call(input)).MoveToOuterDisposeScope();
    }

    public override bool ResumesAfter(string modulePath) => StageAfter(modulePath) >= 0;

    /// <summary>Resumes after conv1 (before bn1) or after one of layer1..layer4.</summary>
    public override Tensor ForwardFrom(string modulePath, Tensor output)
    {
        int first = StageAfter(modulePath);
        if (first < 0) return base.ForwardFrom(modulePath, output);
        using var scope = NewDisposeScope();
        var x = first == 0 ? _maxpool.call(_relu.call(BatchNormFolding.Apply(_bn1, output))) : output;
        for (int i = first; i < _layers.Length; i++) x = _layers[i].call(x);
        x = _avgpool.call(x).flatten(1);
        return _fc.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>The index of the first of _layers to run after <paramref name="modulePath"/> (0 after conv1), or −1.</summary>
    private static int StageAfter(string modulePath) => modulePath switch
    {
        "conv1" => 0,
        "layer1" => 1,
        "layer2" => 2,
        "layer3" => 3,
        "layer4" => 4,
        _ => -1,
    };
}
