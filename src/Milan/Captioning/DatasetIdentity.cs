using System.Security.Cryptography;
using System.Text;
using Milan.Annotations;
using Milan.IO;

namespace Milan.Captioning;

/// <summary>
/// A key that changes whenever a MILANNOTATIONS dataset's exemplars could have changed: the dataset
/// keys, every layer's name, unit count and the content of its images.npy and masks.npy (their sealed
/// content hash, so a copied data root keeps its key; size and modification time in a layer without a
/// seal), and the ordered unit ids. Cached features are keyed by it (<see cref="FeatureCache"/>).
/// </summary>
public static class DatasetIdentity
{
    public static string Of(MilannotationsDataset data)
    {
        var text = new StringBuilder();
        foreach (var part in data.Parts)
        {
            text.Append("key=").Append(part.Name).Append('\n');
            foreach (var layer in part.Layers)
            {
                text.Append("layer=").Append(layer.Name).Append(';').Append(layer.UnitCount);
                foreach (var file in new[] { TopImagesLayer.ImagesFile, TopImagesLayer.MasksFile })
                {
                    string path = Path.Combine(layer.Folder, file);
                    var info = new FileInfo(path);
                    // The sealed content hash where the layer has one (unchanged by copying the data root), else size and time.
                    text.Append(';').Append(file).Append('=')
                        .Append(!info.Exists ? "absent" : StageSeal.ContentHash(path) is { } content ? $"xxh128:{content}" : $"{info.Length}@{info.LastWriteTimeUtc.Ticks}");
                }
                text.Append('\n');
            }
        }
        foreach (var sample in data.Samples) text.Append(sample.Id).Append('\n');
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return $"{data.Name}#{hash}";
    }
}
