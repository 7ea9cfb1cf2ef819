using Milan.Datasets;

namespace Milan.Tests.Support;

/// <summary>
/// A small exemplar dataset on disk for atlas tests, <c>&lt;root&gt;/toynet/photos</c>: layer conv1 with
/// units 0, 1, 2 and layer layer4 with units 5 and 9 (units.npy), 5 exemplars of 16 × 16 pixels each.
/// Exemplar r of the unit at position p is uniformly grey at <see cref="Grey"/>(layer, p, r); every mask
/// covers the left half (x &lt; 8). annotations.csv annotates conv1 unit 0 twice and layer4 unit 9 once.
/// </summary>
public static class AtlasFixture
{
    public const int K = 5, Size = 16;

    public static byte Grey(int layerIndex, int position, int rank) => (byte)(40 + layerIndex * 100 + position * 30 + rank * 5);

    /// <summary>Writes the dataset and returns its folder.</summary>
    public static string Write(string root)
    {
        string dataset = Path.Combine(root, "toynet", "photos");
        WriteLayer(Path.Combine(dataset, "conv1"), 0, units: null, count: 3);
        WriteLayer(Path.Combine(dataset, "layer4"), 1, units: [5, 9], count: 2);
        File.WriteAllText(Path.Combine(dataset, "annotations.csv"),
            "layer,unit,summary\nconv1,0,red stripes\nconv1,0,\"a <red> blob, small\"\nlayer4,9,dog faces\n");
        return dataset;
    }

    private static void WriteLayer(string folder, int layerIndex, long[]? units, int count)
    {
        Directory.CreateDirectory(folder);
        var images = new byte[count * K * 3 * Size * Size];
        var masks = new byte[count * K * Size * Size];
        for (int p = 0; p < count; p++)
            for (int r = 0; r < K; r++)
            {
                Array.Fill(images, Grey(layerIndex, p, r), (p * K + r) * 3 * Size * Size, 3 * Size * Size);
                for (int y = 0; y < Size; y++)
                    for (int x = 0; x < Size / 2; x++) masks[((p * K + r) * Size + y) * Size + x] = 1;
            }
        Npy.Write<byte>(Path.Combine(folder, "images.npy"), images, count, K, 3, Size, Size);
        Npy.Write<byte>(Path.Combine(folder, "masks.npy"), masks, count, K, 1, Size, Size);
        if (units is not null) Npy.Write<long>(Path.Combine(folder, "units.npy"), units, units.Length);
    }
}
