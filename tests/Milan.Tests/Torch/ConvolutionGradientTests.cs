using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Tests.Torch;

/// <summary>
/// The convolutions of the demo and tiny subject models, forward and both gradients, in float32 on
/// this machine's CPU kernels against the same computation in float64 (see OneDnnIsaCap: on a Zen 5
/// processor oneDNN's AVX-512 kernels returned NaN for some of these input gradients).
/// </summary>
public class ConvolutionGradientTests
{
    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        // batch, in, out, side, kernel, stride (padding keeps "same" geometry: kernel / 2)
        { 64, 3, 8, 64, 7, 2 }, { 64, 8, 8, 16, 3, 1 }, { 32, 8, 8, 16, 3, 1 }, { 64, 8, 16, 16, 3, 2 },
        { 64, 8, 16, 16, 1, 2 }, { 64, 16, 16, 8, 3, 1 }, { 64, 32, 64, 4, 3, 2 }, { 64, 64, 64, 2, 3, 1 },
        { 32, 3, 8, 32, 7, 2 }, { 64, 3, 8, 32, 7, 2 },
        // width 16 at 64 px (channel counts that are not multiples of 8 are in OneDnnChannelTailsTests)
        { 64, 3, 16, 64, 7, 2 }, { 64, 16, 16, 16, 3, 1 }, { 64, 16, 32, 16, 3, 2 }, { 64, 32, 32, 8, 3, 1 }, { 64, 128, 128, 2, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32_forward_and_gradients_equal_float64(int batch, int input, int output, int side, int kernel, int stride)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        long[] strides = [stride, stride], padding = [kernel / 2, kernel / 2];
        var x = randn([batch, input, side, side], generator: generator).requires_grad_(true);
        var w = randn([output, input, kernel, kernel], generator: generator).requires_grad_(true);
        var y = nn.functional.conv2d(x, w, null, strides, padding);
        var upstream = randn(y.shape, generator: generator);
        y.backward([upstream]);

        var x64 = x.detach().to(float64).requires_grad_(true);
        var w64 = w.detach().to(float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(x64, w64, null, strides, padding);
        y64.backward([upstream.to(float64)]);

        AssertClose(y, y64, "output");
        AssertClose(x.grad!, x64.grad!, "input gradient");
        AssertClose(w.grad!, w64.grad!, "weight gradient");
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double scale = expected.abs().max().item<double>();
        double error = (actual.to(float64) - expected).abs().max().item<double>();
        Assert.False(double.IsNaN(error), $"{what}: NaN");
        Assert.True(error <= 1e-4 * scale, $"{what}: largest difference {error:G3} against a largest value {scale:G3}");
    }
}
