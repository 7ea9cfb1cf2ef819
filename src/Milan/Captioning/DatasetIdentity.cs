using System.Security.Cryptography;
using System.Text;
using Milan.Annotations;

namespace Milan.Captioning;

/// <summary>
/// A key that changes whenever a MILANNOTATIONS dataset's exemplars could have changed: the dataset
/// keys, every layer's folder, unit count and the size and modification time of its images.npy and
/// masks.npy, and the ordered unit ids. Cached features are keyed by it (<see cref="FeatureCache"/>).
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
                    var info = new FileInfo(Path.Combine(layer.Folder, file));
                    text.Append(';').Append(file).Append('=')
                        .Append(info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : "absent");
                }
                text.Append('\n');
            }
        }
        foreach (var sample in data.Samples) text.Append(sample.Id).Append('\n');
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        return $"{data.Name}#{hash}";
    }
}
