using System.Globalization;
using Milan.Datasets;
using Milan.IO;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Milan.Exemplars;

/// <summary>
/// The on-disk exemplar layout, per layer as in MILANNOTATIONS (milan-spec §2.1):
/// <code>
/// &lt;out&gt;/exemplars.json                what produced the folder (ExemplarManifest)
/// &lt;out&gt;/&lt;layer&gt;/images.npy           uint8 (units, k, 3, S, S) exemplar images, rank order
/// &lt;out&gt;/&lt;layer&gt;/masks.npy            uint8 (units, k, 1, S, S) 0/1: upsampled activation &gt; threshold
/// &lt;out&gt;/&lt;layer&gt;/ids.csv              units × k dataset indices (comma-separated, no header)
/// &lt;out&gt;/&lt;layer&gt;/activations.csv      units × k pooled activations, %.5e, descending
/// &lt;out&gt;/&lt;layer&gt;/units.npy            int64 (units,) unit ids, only when a subset was asked for
/// &lt;out&gt;/&lt;layer&gt;/sheets/unit_NNNN.png  optional contact sheet per unit (NNNN = unit id)
/// </code>
/// A layer folder appears only when complete (built under a ".partial-" sibling and renamed).
/// </summary>
public static class ExemplarLayout
{
    public const string ImagesFile = "images.npy";
    public const string MasksFile = "masks.npy";
    public const string IdsFile = "ids.csv";
    public const string ActivationsFile = "activations.csv";
    public const string UnitsFile = "units.npy";
    public const string SheetsFolder = "sheets";

    /// <summary>Bytes of images and masks handled at once while writing a layer.</summary>
    private const long ChunkBytes = 64L << 20;

    public static string LayerFolder(string outFolder, string layer) => Path.Combine(outFolder, layer);

    public static string SheetFile(string layerFolder, long unit) =>
        Path.Combine(layerFolder, SheetsFolder, $"unit_{unit.ToString("D4", CultureInfo.InvariantCulture)}.png");

    /// <summary>Layer names become folder names: they must be non-empty, distinct and free of path characters.</summary>
    public static void CheckLayerNames(IReadOnlyList<string> layers)
    {
        if (layers.Count == 0) throw new MilanInputException("--layers: at least one layer is needed");
        foreach (var layer in layers)
        {
            if (string.IsNullOrWhiteSpace(layer) || layer is "." or ".." || layer.StartsWith(AtomicDirectory.PartialPrefix, StringComparison.Ordinal)
                || layer.IndexOfAny(['/', '\\', '\0']) >= 0)
                throw new MilanInputException($"--layers: '{layer}' is not a usable layer name (it becomes a folder name)");
        }
        var repeated = layers.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new MilanInputException($"--layers: '{repeated.Key}' is listed twice");
    }

    /// <summary>
    /// Pass 2 for one layer: reads the exemplar images from the source, computes the masks on
    /// <paramref name="device"/>, and writes the layer's folder atomically.
    /// </summary>
    public static void WriteLayer(string outFolder, LayerExemplars exemplars, IImageSource source, ExemplarOptions options,
                                  Device device, IProgress<WorkProgress>? progress = null)
    {
        int size = options.OutputSizeFor(source);
        int k = exemplars.K;
        long units = exemplars.Units.Length;
        string task = $"exemplars {exemplars.Layer}";
        var ids = exemplars.Ids.data<long>().ToArray();
        var activations = exemplars.Activations.data<float>().ToArray();
        AtomicDirectory.Create(LayerFolder(outFolder, exemplars.Layer), folder =>
        {
            CsvFile.Write(Path.Combine(folder, IdsFile), header: null, Rows(units, k, i => ids[i]));
            CsvFile.Write(Path.Combine(folder, ActivationsFile), header: null, Rows(units, k, i => FormatActivation(activations[i])));
            if (exemplars.UnitSubset) Npy.Write<long>(Path.Combine(folder, UnitsFile), exemplars.Units, units);
            if (options.ContactSheets) Directory.CreateDirectory(Path.Combine(folder, SheetsFolder));

            using var images = new NpyStreamWriter(Path.Combine(folder, ImagesFile), NpyType.UInt8, units, k, 3, size, size);
            using var masks = new NpyStreamWriter(Path.Combine(folder, MasksFile), NpyType.UInt8, units, k, 1, size, size);
            long chunk = Math.Max(1, ChunkBytes / ((long)k * size * size * 8));
            progress?.Report(new WorkProgress(task, 0, units));
            for (long first = 0; first < units; first += chunk)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(chunk, units - first);
                var chunkIds = ids.AsSpan((int)(first * k), (int)(count * k)).ToArray();
                var chunkImages = ReadImages(source, chunkIds, size).reshape(count, k, 3, size, size);
                var chunkMasks = exemplars.Masks(first, count, size, device).cpu();
                images.Append(chunkImages);
                masks.Append(chunkMasks);
                if (options.ContactSheets) WriteSheets(folder, exemplars, first, count, chunkImages, chunkMasks);
                progress?.Report(new WorkProgress(task, first + count, units));
            }
            images.Complete();
            masks.Complete();
        });
    }

    /// <summary>Contact sheets of a chunk of units, drawn and encoded in parallel (PNG encoding dominates their cost).</summary>
    private static void WriteSheets(string folder, LayerExemplars exemplars, long first, long count, Tensor images, Tensor masks)
    {
        int k = exemplars.K, size = (int)images.shape[^1];
        byte[] pixels = images.contiguous().bytes.ToArray(), maskBytes = masks.contiguous().bytes.ToArray();
        int imageBytes = k * 3 * size * size, maskLength = k * size * size;
        Parallel.For(0, (int)count, u =>
        {
            var png = ExemplarSheet.Png(pixels.AsSpan(u * imageBytes, imageBytes), maskBytes.AsSpan(u * maskLength, maskLength), k, size);
            File.WriteAllBytes(SheetFile(folder, exemplars.Units[first + u]), png);
        });
    }

    /// <summary>numpy's "%.5e": six significant digits, lower-case e, a sign and at least two exponent digits.</summary>
    public static string FormatActivation(float value)
    {
        if (float.IsNaN(value)) return "nan";
        if (float.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string text = ((double)value).ToString("E5", CultureInfo.InvariantCulture);   // e.g. "-1.23457E+003"
        int e = text.IndexOf('E');
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return $"{text[..e]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Source images by dataset index as (n, 3, size, size) uint8, each distinct image read once and
    /// each run of consecutive indices in one call (sources read runs fastest). The rows are assembled
    /// in managed memory: torch's uint8 index_select is pathologically slow on the CPU.
    /// </summary>
    private static Tensor ReadImages(IImageSource source, long[] ids, int size)
    {
        int side = source.ImageSize, itemBytes = 3 * side * side;
        var distinct = ids.Distinct().Order().ToArray();
        var slot = new Dictionary<long, int>(distinct.Length);
        var distinctBytes = new byte[(long)distinct.Length * itemBytes];
        for (int start = 0; start < distinct.Length;)
        {
            int end = start + 1;
            while (end < distinct.Length && distinct[end] == distinct[end - 1] + 1) end++;
            var run = Enumerable.Range((int)distinct[start], end - start).ToArray();
            using (var bytes = source.ReadBytes(run))
            using (var contiguous = bytes.cpu().contiguous())
            {
                if (contiguous.dtype != ScalarType.Byte || contiguous.numel() != (long)run.Length * itemBytes)
                    throw MilanInputException.InFile(source.Description, $"expected {run.Length} uint8 images of shape (3, {side}, {side})");
                contiguous.bytes.CopyTo(distinctBytes.AsSpan(start * itemBytes, run.Length * itemBytes));
            }
            for (int i = start; i < end; i++) slot[distinct[i]] = i;
            start = end;
        }
        var ordered = new byte[(long)ids.Length * itemBytes];
        for (int i = 0; i < ids.Length; i++)
            Buffer.BlockCopy(distinctBytes, slot[ids[i]] * itemBytes, ordered, i * itemBytes, itemBytes);
        var images = empty([ids.Length, 3, side, side], ScalarType.Byte);
        images.bytes = ordered;
        if (size == side) return images;
        using (images)
        {
            // As the reference: F.interpolate in its default nearest mode.
            using var scope = NewDisposeScope();
            var scaled = F.interpolate(images.to(ScalarType.Float32), [size, size], mode: InterpolationMode.Nearest);
            return scaled.to(ScalarType.Byte).MoveToOuterDisposeScope();
        }
    }

    /// <summary>A units × k matrix as CSV rows, one per unit (no header, as numpy.savetxt writes).</summary>
    private static IEnumerable<object?[]> Rows(long units, int k, Func<long, object> cell)
    {
        for (long u = 0; u < units; u++)
        {
            var row = new object?[k];
            for (int c = 0; c < k; c++) row[c] = cell(u * k + c);
            yield return row;
        }
    }
}
