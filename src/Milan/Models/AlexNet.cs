using static TorchSharp.torch;

namespace Milan.Models;

/// <summary>
/// torchvision's AlexNet in its module layout and state-dict names: features (conv 11x11/4, ReLU,
/// max pool, conv 5x5, ReLU, max pool, three 3x3 convs with ReLUs, max pool; indices 0..12), avgpool
/// (adaptive, 6x6) and classifier (dropout, linear, ReLU, dropout, linear, ReLU, linear; 0..6).
/// Channels and the hidden size scale with width/64 (torchvision: 64, 192, 384, 256, 256 and 4096).
/// <para>
/// torchvision's geometry needs inputs of at least 63 px (three stride-2 pools after a stride-4
/// convolution). "alexnet-small" is the same network with the first convolution at stride 1 and
/// padding 5: its feature maps at S px are about the sizes torchvision's have at 4·S px (56 px gives
/// 56, 27, 13, 13, 13 for conv1..conv5, against 55, 27, 13, 13, 13 at 224 px), and its state dict
/// is the same key for key and shape for shape. It is our variant, not torchvision's; use it for the bundled world's 32-64 px
/// images.
/// </para>
/// </summary>
public sealed class AlexNet : SubjectModel
{
    private readonly nn.Module<Tensor, Tensor> _features;
    private readonly nn.Module<Tensor, Tensor> _avgpool;
    private readonly nn.Module<Tensor, Tensor> _classifier;

    internal AlexNet(ModelSpec spec) : base(spec)
    {
        var architecture = spec.Describe();
        if (architecture.Family != ArchitectureFamily.AlexNet)
            throw new ArgumentException($"{spec.Architecture} is not an AlexNet", nameof(spec));
        int C(int channels) => ModelArchitecture.ScaleAlexNetChannels(channels, spec.Width);
        int c1 = C(64), c2 = C(192), c3 = C(384), c4 = C(256), c5 = C(256), hidden = C(4096);
        var firstConvolution = architecture.SmallInput
            ? nn.Conv2d(3, c1, 11, stride: 1, padding: 5)
            : nn.Conv2d(3, c1, 11, stride: 4, padding: 2);

        _features = Register("features", nn.Sequential(
            firstConvolution, nn.ReLU(inplace: true), nn.MaxPool2d(3, stride: 2),
            nn.Conv2d(c1, c2, 5, padding: 2), nn.ReLU(inplace: true), nn.MaxPool2d(3, stride: 2),
            nn.Conv2d(c2, c3, 3, padding: 1), nn.ReLU(inplace: true),
            nn.Conv2d(c3, c4, 3, padding: 1), nn.ReLU(inplace: true),
            nn.Conv2d(c4, c5, 3, padding: 1), nn.ReLU(inplace: true), nn.MaxPool2d(3, stride: 2)));
        _avgpool = Register("avgpool", nn.AdaptiveAvgPool2d([6, 6]));
        _classifier = Register("classifier", nn.Sequential(
            nn.Dropout(0.5), nn.Linear(c5 * 6 * 6, hidden), nn.ReLU(inplace: true),
            nn.Dropout(0.5), nn.Linear(hidden, hidden), nn.ReLU(inplace: true),
            nn.Linear(hidden, spec.Classes)));
    }

    /// <summary>Every module followed by an in-place ReLU: the convolutions and the hidden linear layers.</summary>
    public override bool OutputChangedInPlace(string modulePath)
    {
        foreach (var (name, sequence) in new[] { ("features", _features), ("classifier", _classifier) })
        {
            var children = sequence.named_children().ToList();
            for (int i = 0; i + 1 < children.Count; i++)
                if ($"{name}.{children[i].name}" == modulePath) return children[i + 1].module is TorchSharp.Modules.ReLU;
        }
        ModulePaths.Find(this, modulePath);     // an unknown path is an input error
        return false;
    }

    public override Tensor forward(Tensor input)
    {
        int minimum = Architecture.MinimumImageSize;
        if (input.dim() != 4 || input.shape[2] < minimum || input.shape[3] < minimum)
            throw new MilanInputException(
                $"{Spec.Architecture} needs input (B, 3, H, W) with H and W at least {minimum} px, got [{string.Join(",", input.shape)}]"
                + (Architecture.SmallInputAlternative is { } alternative ? $"; use '{alternative}' for small images" : ""));
        using var scope = NewDisposeScope();
        var x = _avgpool.call(_features.call(input)).flatten(1);
        return _classifier.call(x).MoveToOuterDisposeScope();
    }
}
