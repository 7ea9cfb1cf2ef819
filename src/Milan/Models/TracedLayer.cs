namespace Milan.Models;

/// <summary>
/// A layer whose units MILAN describes: the name used in folders and tables (the reference's, e.g.
/// "conv1" or "layer4"), the module path that is hooked (what <see cref="ModulePaths.Find"/> takes),
/// its number of channels (units) and the side of its square feature map for a given input size.
/// </summary>
public sealed record TracedLayer(string Name, string ModulePath, int Channels, int Size);
