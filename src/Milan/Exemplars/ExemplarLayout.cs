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
    /// Pass 2 for one layer: reads each distinct exemplar image from the source once (in dataset order),
    /// computes the masks on <paramref name="device"/>, and writes the layer's folder atomically.
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

            string imagesPath = Path.Combine(folder, ImagesFile);
            using (var images = new NpyStreamWriter(imagesPath, NpyType.UInt8, units, k, 3, size, size))
            {
                WriteImages(images, source, ids, size, task, progress);
                images.Complete();
            }
            // The sheets read the images back from the finished file (still in the page cache).
            using var written = options.ContactSheets ? new NpyMappedArray(imagesPath) : null;
            using var masks = new NpyStreamWriter(Path.Combine(folder, MasksFile), NpyType.UInt8, units, k, 1, size, size);
            long chunk = Math.Max(1, ChunkBytes / ((long)k * size * size * 8));
            progress?.Report(new WorkProgress(task, 0, units, "masks"));
            for (long first = 0; first < units; first += chunk)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(chunk, units - first);
                var chunkMasks = exemplars.Masks(first, count, size, device).cpu();
                masks.Append(chunkMasks);
                if (written is not null) WriteSheets(folder, exemplars, first, count, written.Read(first, count), chunkMasks);
                progress?.Report(new WorkProgress(task, first + count, units, "masks"));
            }
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
    /// Fills images.npy, (units, k, 3, size, size) in slot order u·k + rank, reading each distinct
    /// exemplar image from the source exactly once: in dataset order, consecutive indices in one call
    /// (sources read runs fastest), a bounded chunk at a time, each image written to every slot that
    /// shows it. Images are resized with nearest-neighbour interpolation, as the reference's
    /// F.interpolate default, when the output size differs from the source's.
    /// </summary>
    private static void WriteImages(NpyStreamWriter images, IImageSource source, long[] ids, int size, string task, IProgress<WorkProgress>? progress)
    {
        int side = source.ImageSize;
        long itemBytes = 3L * side * side, outputBytes = 3L * size * size;
        var slots = new Dictionary<long, List<int>>();
        for (int slot = 0; slot < ids.Length; slot++)
        {
            if (!slots.TryGetValue(ids[slot], out var list)) slots[ids[slot]] = list = [];
            list.Add(slot);
        }
        var distinct = slots.Keys.Order().ToArray();
        int chunk = (int)Math.Max(1, ChunkBytes / itemBytes);
        progress?.Report(new WorkProgress(task, 0, distinct.Length, "images"));
        for (int start = 0; start < distinct.Length; start += chunk)
        {
            using var scope = NewDisposeScope();
            var chunkIds = distinct.AsSpan(start, Math.Min(chunk, distinct.Length - start)).ToArray();
            var bytes = new byte[chunkIds.Length * itemBytes];
            for (int runStart = 0; runStart < chunkIds.Length;)
            {
                int runEnd = runStart + 1;
                while (runEnd < chunkIds.Length && chunkIds[runEnd] == chunkIds[runEnd - 1] + 1) runEnd++;
                var run = Enumerable.Range((int)chunkIds[runStart], runEnd - runStart).ToArray();
                using (var read = source.ReadBytes(run))
                using (var contiguous = read.cpu().contiguous())
                {
                    if (contiguous.dtype != ScalarType.Byte || contiguous.numel() != run.Length * itemBytes)
                        throw MilanInputException.InFile(source.Description, $"expected {run.Length} uint8 images of shape (3, {side}, {side})");
                    contiguous.bytes.CopyTo(bytes.AsSpan((int)(runStart * itemBytes), (int)(run.Length * itemBytes)));
                }
                runStart = runEnd;
            }
            if (size != side) bytes = Resized(bytes, chunkIds.Length, side, size);
            for (int i = 0; i < chunkIds.Length; i++)
            {
                var image = bytes.AsSpan((int)(i * outputBytes), (int)outputBytes);
                foreach (int slot in slots[chunkIds[i]]) images.WriteAt(slot * outputBytes, image);
            }
            progress?.Report(new WorkProgress(task, start + chunkIds.Length, distinct.Length, "images"));
        }
    }

    /// <summary>(n, 3, side, side) image bytes resized to (n, 3, size, size) by F.interpolate in its default nearest mode.</summary>
    private static byte[] Resized(byte[] bytes, int count, int side, int size)
    {
        using var scope = NewDisposeScope();
        var images = empty([count, 3, side, side], ScalarType.Byte);
        images.bytes = bytes;
        var scaled = F.interpolate(images.to(ScalarType.Float32), [size, size], mode: InterpolationMode.Nearest);
        return scaled.to(ScalarType.Byte).contiguous().bytes.ToArray();
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
