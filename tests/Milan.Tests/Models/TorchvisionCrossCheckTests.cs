using Milan.Models;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

/// <summary>
/// Logits of our models against torchvision's, without PyTorch in CI: both sides fill every weight
/// from the same seeded randn stream (bit-identical in TorchSharp and torch 1.13 on the CPU) in
/// torchvision's state-dict order and run the same seeded input. The expected numbers were produced
/// once by tools/torchvision_reference_logits.py with Debian's python3-torch 1.13.1 and
/// python3-torchvision 0.14.1; that script documents the fill rule mirrored in <see cref="Fill"/>.
/// </summary>
[Trait("Tier", "Integration")]
public class TorchvisionCrossCheckTests
{
    public static TheoryData<string, int, float[], double, double> Reference => new()
    {
        // architecture, input size, logits[:, :4] of both images, sum of all logits, sum of |logits|
        { "resnet18", 224, [7.616401f, -10.602868f, -22.113319f, 37.736404f, 10.439020f, -12.138015f, -19.665710f, 35.051689f], -1560.38354, 44870.30859 },
        { "resnet50", 64, [34.822926f, -343.208618f, -241.087708f, -223.828934f, 43.105343f, -356.296753f, -207.162323f, -216.575821f], -14486.10938, 466298.34375 },
        { "alexnet", 224, [1.350783f, -3.086253f, 3.918465f, 0.608695f, 2.186932f, -4.050481f, 3.005248f, 2.428623f], 59.70328, 7598.79834 },
        { "alexnet-small", 32, [1.029383f, -3.493279f, 4.796692f, 2.222398f, 1.161532f, -3.286349f, 5.555834f, 2.381348f], 122.50203, 7447.39307 },
    };

    [Theory]
    [MemberData(nameof(Reference))]
    public void Logits_match_torchvision_with_the_same_seeded_weights_and_input(string architecture, int size, float[] head, double sum, double absoluteSum)
    {
        using var scope = NewDisposeScope();
        using var model = SubjectModel.Create(new ModelSpec(architecture, 1000, size));
        Fill(model, TorchvisionOrder(architecture));
        manual_seed(1);
        var input = randn(2, 3, size, size);

        Tensor logits;
        using (no_grad()) logits = model.call(input);

        // Tolerance relative to the logits' typical size: float32 sums in a different order (libtorch 2.10 vs 1.13).
        double scale = absoluteSum / logits.numel();
        var actualHead = logits[.., ..4].flatten().data<float>().ToArray();
        for (int i = 0; i < head.Length; i++)
            Assert.True(Math.Abs(actualHead[i] - head[i]) <= 1e-4 * scale, $"logit {i}: expected {head[i]}, got {actualHead[i]}");
        Assert.Equal(sum, logits.sum().item<float>(), 1e-5 * absoluteSum);
        Assert.Equal(absoluteSum, logits.abs().sum().item<float>(), 1e-5 * absoluteSum);
    }

    private static IEnumerable<string> TorchvisionOrder(string architecture) => (architecture switch
    {
        "resnet18" => TorchvisionStateDict.ResNet([2, 2, 2, 2], bottleneck: false),
        "resnet50" => TorchvisionStateDict.ResNet([3, 4, 6, 3], bottleneck: true),
        _ => TorchvisionStateDict.AlexNet(),
    }).Select(entry => entry.Key);

    /// <summary>The fill rule of tools/torchvision_reference_logits.py, in torchvision's state-dict order.</summary>
    private static void Fill(nn.Module model, IEnumerable<string> order)
    {
        var state = model.state_dict();
        manual_seed(0);
        using var _ = no_grad();
        foreach (var name in order)
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            var tensor = state[name];
            using var scope = NewDisposeScope();
            var r = randn(tensor.shape);
            string leaf = name[(name.LastIndexOf('.') + 1)..];
            var value = leaf switch
            {
                "weight" when tensor.dim() > 1 => r * Math.Sqrt(2.0 / tensor[0].numel()),
                "weight" => 1 + 0.1 * r,
                "running_var" => 0.5 + r.abs(),
                _ => 0.1 * r,
            };
            tensor.copy_(value);
        }
    }
}
