namespace Milan.World;

/// <summary>
/// A rendered scene: the image as (3, S, S) bytes and its label maps as (<see cref="ConceptLayer.Count"/>, S, S)
/// bytes, both channel-major as stored in images.npy and concepts.npy.
/// </summary>
public sealed record RenderedScene(int Size, byte[] Image, byte[] Layers)
{
    public byte Pixel(int channel, int y, int x) => Image[(channel * Size + y) * Size + x];

    public byte Label(int layer, int y, int x) => Layers[(layer * Size + y) * Size + x];
}
