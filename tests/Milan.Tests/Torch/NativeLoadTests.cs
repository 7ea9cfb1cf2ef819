using static TorchSharp.torch;

namespace Milan.Tests.Torch;

/// <summary>
/// The first test of the suite: a trivial tensor operation, so that a failure to load TorchSharp's
/// native library (see environment.md, "The GLIBCXX fix") is reported plainly and first.
/// </summary>
public class NativeLoadTests
{
    [Fact]
    public void A_trivial_tensor_operation_runs_on_the_cpu()
    {
        using var x = ones(3) * 2;
        Assert.Equal(6.0f, x.sum().item<float>());
    }
}
