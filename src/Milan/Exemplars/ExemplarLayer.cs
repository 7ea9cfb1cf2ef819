namespace Milan.Exemplars;

/// <summary>
/// A layer to compute exemplars for: <paramref name="Name"/> names its folder (the reference's layer
/// name, e.g. AlexNet's "conv1"), <paramref name="ModulePath"/> is the module that is hooked (e.g.
/// "features.1"). Most layers are their own module path (<see cref="Of(string)"/>).
/// </summary>
public sealed record ExemplarLayer(string Name, string ModulePath)
{
    public static ExemplarLayer Of(string modulePath) => new(modulePath, modulePath);

    public static IReadOnlyList<ExemplarLayer> Of(IEnumerable<string> modulePaths) => modulePaths.Select(Of).ToList();
}
