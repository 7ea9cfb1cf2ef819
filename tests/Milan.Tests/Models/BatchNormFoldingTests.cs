using Milan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Tests.Models;

/// <summary>
/// <see cref="SubjectModel.InferenceCopy"/> against the unfolded network it was made from: batch norms
/// with non-trivial statistics (γ ≠ 1, β ≠ 0, μ ≠ 0, σ² ≠ 1) folded into their convolutions give the
/// same logits and traced outputs within float tolerance, traced pairs stay unfolded, and neither
/// the original model nor the global random generator is touched.
/// </summary>
public class BatchNormFoldingTests
{
    private static SubjectModel Model(string architecture)
    {
        var model = SubjectModel.Create(new ModelSpec(architecture, 10, 32, Width: 8), seed: 5);
        manual_seed(6);
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.EndsWith("running_var", StringComparison.Ordinal)) tensor.copy_(rand(tensor.shape) + 0.5);
            else if (name.EndsWith("running_mean", StringComparison.Ordinal) || (name.Contains("bn") || name.Contains("downsample.1")) && name.EndsWith("bias", StringComparison.Ordinal))
                tensor.copy_(randn(tensor.shape) * 0.3);
            else if ((name.Contains("bn") || name.Contains("downsample.1")) && name.EndsWith("weight", StringComparison.Ordinal))
                tensor.copy_(rand(tensor.shape) + 0.5);
        }
        return model;
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    public void Folded_copy_matches_the_unfolded_network_and_keeps_traced_conv1_raw(string architecture)
    {
        using var scope = NewDisposeScope();
        using var model = Model(architecture);
        string[] traced = ["conv1", "layer1", "layer2.0", "layer4"];
        manual_seed(7);
        var input = randn(3, 3, 32, 32);
        using var folded = model.InferenceCopy(traced);

        IReadOnlyDictionary<string, Tensor> Outputs(SubjectModel m)
        {
            using var trace = LayerTrace.Attach(m, traced);
            using var noGrad = no_grad();
            return trace.Run(input);
        }
        var expected = Outputs(model);
        var actual = Outputs(folded);

        // Traced conv1 keeps its raw (pre-bn1) value: its pair was not folded, so only the weights' channels-last
        // layout differs, which oneDNN may compute in another order (bit-equal with its AVX-512 kernels, not with
        // the AVX2 ones OneDnnIsaCap selects on AMD); a folded conv1 would differ by bn1's scale and shift.
        foreach (var layer in traced)
        {
            double scale = expected[layer].abs().max().item<float>();
            double difference = (actual[layer] - expected[layer]).abs().max().item<float>();
            Assert.True(difference <= 1e-5 * scale, $"{layer}: folded differs by {difference} (largest value {scale})");
        }
        using (no_grad())
        {
            var logits = model.call(input);
            double logitScale = logits.abs().max().item<float>();
            Assert.True((folded.call(input) - logits).abs().max().item<float>() <= 1e-5 * logitScale);
        }
        // Every batch norm outside the traced pairs was folded away: the folded model does less work, visibly so
        // in that a hook on a folded batch norm never fires.
        using var bnTrace = LayerTrace.Attach(folded, "layer1.0.bn1");
        using (no_grad()) Assert.Throws<InvalidOperationException>(() => bnTrace.Run(input));
    }

    [Fact]
    public void A_traced_batch_norm_stays_unfolded_and_traces_the_same_values()
    {
        using var scope = NewDisposeScope();
        using var model = Model("resnet18");
        manual_seed(8);
        var input = randn(2, 3, 32, 32);
        using var folded = model.InferenceCopy(["layer1.0.bn1"]);
        Tensor expected, actual;
        using (var trace = LayerTrace.Attach(model, "layer1.0.bn1"))
        using (no_grad()) expected = trace.RunSingle(input);
        using (var trace = LayerTrace.Attach(folded, "layer1.0.bn1"))
        using (no_grad()) actual = trace.RunSingle(input);
        double scale = expected.abs().max().item<float>();
        Assert.True((actual - expected).abs().max().item<float>() <= 1e-5 * scale);
    }

    [Fact]
    public void The_original_model_and_the_random_generator_are_left_as_they_were()
    {
        using var scope = NewDisposeScope();
        using var model = Model("resnet18");
        var before = model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone());
        manual_seed(9);
        var expectedDraw = randn(4);
        manual_seed(9);
        using (model.InferenceCopy(["layer4"])) { }
        var draw = randn(4);

        Assert.True(draw.equal(expectedDraw).all().item<bool>());
        foreach (var (name, tensor) in model.state_dict())
            Assert.True(tensor.equal(before[name]).all().item<bool>(), $"{name} changed");
    }
}
