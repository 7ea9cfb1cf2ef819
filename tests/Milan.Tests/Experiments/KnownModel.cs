using Milan.Datasets;
using Milan.Experiments;
using static TorchSharp.torch;

namespace Milan.Tests.Experiments;

/// <summary>
/// A hand-built classifier whose accuracy under any ablation is known. Images are 4x4 with flat
/// colours; the model averages each channel (r, g, b in [0, 1], inputs normalised by /255 only),
/// copies them into three units (layer "units": u0 = r, u1 = g, u2 = b) and scores class 0 = u0,
/// class 1 = u1 + 2·u2. So u2 ("blue", the spurious feature) pushes towards class 1.
/// Images: class 0 is r = 1, g = 0.2; class 1 is r = 0.2, g = 1; blue is 0 or 1.
/// - validation: class 0 without blue (x2), class 1 without and with blue: 100 %.
///   Without u0: class 0 gives (0, 0.2) → wrong: 50 %. Without u1: class 1 without blue gives (0.2, 0) → wrong: 75 %.
///   Without u2: 100 %.
/// - adversarial test: class 0 with blue (x2) → (1, 2.2) wrong; class 1 without blue (x2) right: 50 %.
///   Without u2: 100 %. Without u1 and u2: class 1 gives (0.2, 0) → 50 %.
/// </summary>
public static class KnownModel
{
    public static readonly ImageNormalization Bytes = new([0f, 0f, 0f], [1f, 1f, 1f]);

    public static readonly IReadOnlyList<UnitDescription> Descriptions =
    [
        new("units", 0, "red things"),
        new("units", 1, "green textures"),
        new("units", 2, "words and letters"),
    ];

    public static nn.Module<Tensor, Tensor> Create()
    {
        var units = nn.Linear(3, 3);
        var fc = nn.Linear(3, 2);
        using (no_grad())
        {
            units.weight!.copy_(eye(3));
            units.bias!.zero_();
            fc.weight!.copy_(tensor(new float[,] { { 1, 0, 0 }, { 0, 1, 2 } }));
            fc.bias!.zero_();
        }
        var model = nn.Sequential(("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()), ("units", units), ("fc", fc));
        model.eval();
        return model;
    }

    public static LabelledImages Validation() => Images("val", [(0, 0), (0, 0), (1, 0), (1, 1)]);

    public static LabelledImages AdversarialTest() => Images("test", [(0, 1), (0, 1), (1, 0), (1, 0)]);

    private static LabelledImages Images(string name, (int Label, int Blue)[] images)
    {
        var pixels = new byte[images.Length * 3 * 16];
        for (int i = 0; i < images.Length; i++)
        {
            var (label, blue) = images[i];
            byte[] colour = [(byte)(label == 0 ? 255 : 51), (byte)(label == 0 ? 51 : 255), (byte)(blue * 255)];
            for (int c = 0; c < 3; c++)
                Array.Fill(pixels, colour[c], (i * 3 + c) * 16, 16);
        }
        var tensor = empty([images.Length, 3, 4, 4], ScalarType.Byte);
        tensor.bytes = pixels;
        return new LabelledImages(name, tensor, images.Select(i => (long)i.Label).ToArray());
    }
}
