using Milan.Torch;

namespace Milan.Tests.Support;

/// <summary>
/// Test classes whose models switch oneDNN off for the whole process (OneDnnChannelTails: convolutions
/// whose channel counts are not multiples of 8) run in this collection, alone, and switch it back on
/// when each test ends (<see cref="OneDnnSwitch"/>), so the kernels never change under a test running
/// beside them (a test comparing two runs of one convolution bit for bit failed when they did).
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
