using Milan.Torch;

namespace Milan.Tests.Support;

/// <summary>
/// Test classes whose models switch oneDNN off for the whole process (OneDnnChannelTails: convolutions
/// whose channel counts are not multiples of 8) belong to this collection and switch it back on when each
/// test ends (<see cref="OneDnnSwitch"/>), so no other test runs in the state they leave: the ONNX test
/// that compares a traced convolution of a network and of its folded copy bit for bit failed when it ran
/// after them with oneDNN off. Never run beside other collections, should parallel runs be turned on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneDnnSwitchCollection
{
    public const string Name = "oneDNN may be switched off";
}

/// <summary>Base of the test classes of <see cref="OneDnnSwitchCollection"/>: oneDNN back on after every test.</summary>
public abstract class OneDnnSwitch : IDisposable
{
    public void Dispose()
    {
        OneDnnChannelTails.Restore();
        GC.SuppressFinalize(this);
    }
}
