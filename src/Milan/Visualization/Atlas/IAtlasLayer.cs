namespace Milan.Visualization.Atlas;

/// <summary>One layer of one model as the atlas reads it: its units in file order and their exemplar sheets.</summary>
public interface IAtlasLayer
{
    /// <summary>The model's name as the atlas shows it (e.g. resnet18/world-a).</summary>
    string Model { get; }

    string Name { get; }

    IReadOnlyList<AtlasUnit> Units { get; }

    /// <summary>Exemplars per unit (k).</summary>
    int ExemplarsPerUnit { get; }

    /// <summary>
    /// The first <paramref name="exemplars"/> exemplars of the unit at <paramref name="position"/> drawn as
    /// one contact sheet with their masks (RGBA, height × width × 4); thread-safe.
    /// </summary>
    (byte[] Rgba, int Width, int Height) Sheet(int position, int exemplars);
}
