using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.Experiments;

/// <summary>World a at 32 px (normal: 200 val, 100 test images), generated once per test class.</summary>
public sealed class TinyWorld : IDisposable
{
    public TempFolder Folder { get; } = new();
    public string Normal => Path.Combine(Folder.Path, "world", "a", "normal");
    public string Val => Path.Combine(Normal, "val");
    public string Test => Path.Combine(Normal, "test");

    public TinyWorld() => WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, new WorldSettings(32, 0, 200, 100), Normal);

    public void Dispose() => Folder.Dispose();
}
