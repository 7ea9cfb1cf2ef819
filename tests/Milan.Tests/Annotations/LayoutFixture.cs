using System.Globalization;
using Milan.Datasets;
using Milan.IO;

namespace Milan.Tests.Annotations;

/// <summary>
/// Writes small datasets in the published MILANNOTATIONS layout. Pixel values are chosen so tests can
/// state expectations by hand: image byte = base + 20·position + 3·exemplar + channel (the same at
/// every pixel); mask = (position + exemplar + y + x) mod 2; ids = 10·position + exemplar;
/// activations = position + exemplar / 10.
/// </summary>
internal static class LayoutFixture
{
    public const int K = 2;
    public const int Size = 4;

    public static byte ImageValue(int @base, int position, int exemplar, int channel) => (byte)(@base + 20 * position + 3 * exemplar + channel);

    public static void WriteLayer(string datasetFolder, string layer, int units, int @base = 0, int[]? unitIds = null,
        bool images = true, bool ids = true, bool activations = true, int k = K, int size = Size)
    {
        string folder = Path.Combine(datasetFolder, layer);
        Directory.CreateDirectory(folder);
        var imageBytes = new byte[units * k * 3 * size * size];
        var maskBytes = new byte[units * k * size * size];
        for (int u = 0; u < units; u++)
            for (int j = 0; j < k; j++)
            {
                for (int c = 0; c < 3; c++)
                    Array.Fill(imageBytes, ImageValue(@base, u, j, c), (((u * k + j) * 3) + c) * size * size, size * size);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        maskBytes[((u * k + j) * size + y) * size + x] = (byte)((u + j + y + x) % 2);
            }
        if (images) Npy.Write<byte>(Path.Combine(folder, "images.npy"), imageBytes, units, k, 3, size, size);
        Npy.Write<byte>(Path.Combine(folder, "masks.npy"), maskBytes, units, k, 1, size, size);
        if (unitIds is not null) Npy.Write<long>(Path.Combine(folder, "units.npy"), unitIds.Select(u => (long)u).ToArray(), unitIds.Length);
        if (ids)
            AtomicFile.WriteAllText(Path.Combine(folder, "ids.csv"), string.Concat(Enumerable.Range(0, units).Select(u =>
                string.Join(",", Enumerable.Range(0, k).Select(j => (10 * u + j).ToString(CultureInfo.InvariantCulture))) + "\n")));
        if (activations)
            AtomicFile.WriteAllText(Path.Combine(folder, "activations.csv"), string.Concat(Enumerable.Range(0, units).Select(u =>
                string.Join(",", Enumerable.Range(0, k).Select(j => (u + j / 10.0).ToString("0.00000e+00", CultureInfo.InvariantCulture))) + "\n")));
    }

    public static void WriteAnnotations(string datasetFolder, string csv) =>
        AtomicFile.WriteAllText(Path.Combine(datasetFolder, "annotations.csv"), csv);

    /// <summary>
    /// An AlexNet-ImageNet-like dataset: conv1 with 4 units (no units.npy), conv2 with units.npy
    /// [0, 5, 9]; annotations in interleaved order, conv1/3 with only two annotations, conv2/5 with four.
    /// </summary>
    public const string AnnotationsCsv =
        "layer,unit,summary\r\n" +
        "conv2,5,\"red, round things\"\r\n" +
        "conv1,0,dog faces\r\n" +
        "conv2,5,circles\r\n" +
        "conv1,3,only two a\r\n" +
        "conv1,0,\"text with \"\"quotes\"\"\"\r\n" +
        "conv2,5,red balls\r\n" +
        "\r\n" +
        "conv1,0,animal heads\r\n" +
        "conv1,3,only two b\r\n" +
        "conv2,5,a fourth one\r\n" +
        "conv1,0,puppies\r\n" +
        "conv2,9,\"multi\nline\"\r\n" +
        "conv2,9,x\r\n" +
        "conv2,9,y\r\n";

    public static string WriteAlexNetLike(string root, string arch = "alexnet", string dataset = "imagenet")
    {
        string folder = Path.Combine(root, arch, dataset);
        WriteLayer(folder, "conv1", 4, @base: 0);
        WriteLayer(folder, "conv2", 3, @base: 120, unitIds: [0, 5, 9]);
        WriteAnnotations(folder, AnnotationsCsv);
        return folder;
    }
}
