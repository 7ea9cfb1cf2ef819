using Milan.Annotations;
using Milan.Exemplars;
using Milan.Visualization.Atlas;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>One layer folder of an exemplar dataset as the atlas reads it: sheets drawn from images.npy and masks.npy one unit at a time.</summary>
public sealed class ExemplarAtlasLayer : IAtlasLayer, IDisposable
{
    private readonly TopImagesLayer _layer;
    private readonly Lock _read = new();

    public string Model { get; }
    public string Name => _layer.Name;
    public IReadOnlyList<AtlasUnit> Units { get; }
    public int ExemplarsPerUnit => _layer.ImagesPerUnit;

    public ExemplarAtlasLayer(string model, TopImagesLayer layer, IReadOnlyList<AtlasUnit> units)
    {
        if (!layer.HasImages)
            throw MilanInputException.InFile(Path.Combine(layer.Folder, TopImagesLayer.ImagesFile),
                "file not found: the atlas needs the exemplar images (merge them first, see docs/annotations.md)");
        Model = model;
        _layer = layer;
        Units = units;
    }

    public (byte[] Rgba, int Width, int Height) Sheet(int position, int exemplars)
    {
        int k = Math.Min(exemplars, _layer.ImagesPerUnit);
        byte[] pixels, masks;
        lock (_read)
        {
            using var scope = NewDisposeScope();
            pixels = _layer.ReadImages(position).narrow(0, 0, k).contiguous().bytes.ToArray();
            masks = _layer.ReadMasks(position).narrow(0, 0, k).contiguous().bytes.ToArray();
        }
        return ExemplarSheet.Compose(pixels, masks, k, _layer.Size);
    }

    public void Dispose() => _layer.Dispose();
}
