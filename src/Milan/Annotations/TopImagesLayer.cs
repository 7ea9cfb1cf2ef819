using System.Globalization;
using Milan.Datasets;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Annotations;

/// <summary>
/// One layer folder of the exemplar layout: masks.npy (units, K, 1, S, S) uint8 0/1 (bool accepted),
/// images.npy (units, K, 3, S, S) uint8 (absent for ImageNet models until merged), and optionally
/// units.npy (units,) integer unit ids, ids.csv (units rows × K source-image indices) and
/// activations.csv (units rows × K pooled activations). Opening validates headers and the CSV files
/// and checks that every count agrees; the image and mask arrays stay memory-mapped and are read one
/// unit at a time.
/// </summary>
public sealed class TopImagesLayer : IDisposable
{
    public const string ImagesFile = "images.npy";
    public const string MasksFile = "masks.npy";
    public const string UnitsFile = "units.npy";
    public const string IdsFile = "ids.csv";
    public const string ActivationsFile = "activations.csv";

    private readonly NpyMappedArray _masks;
    private readonly NpyMappedArray? _images;
    private readonly Dictionary<int, int> _positionByUnit;
    private readonly int[][]? _ids;
    private readonly float[][]? _activations;

    public string Name { get; }
    public string Folder { get; }

    /// <summary>Number of units stored in this layer.</summary>
    public int UnitCount { get; }

    /// <summary>Exemplar images per unit (K; 15 in the published data).</summary>
    public int ImagesPerUnit { get; }

    /// <summary>Side of the square images and masks (224 in the published data).</summary>
    public int Size { get; }

    /// <summary>Whether images.npy is present (false for ImageNet models before merging).</summary>
    public bool HasImages => _images is not null;

    /// <summary>Whether ids.csv is present.</summary>
    public bool HasImageIds => _ids is not null;

    /// <summary>Unit ids in file order: units.npy, or 0..units-1 when that file is absent.</summary>
    public IReadOnlyList<int> Units { get; }

    private TopImagesLayer(string folder, string name, NpyMappedArray masks, NpyMappedArray? images, int[] units, int[][]? ids, float[][]? activations)
    {
        Folder = folder;
        Name = name;
        _masks = masks;
        _images = images;
        _ids = ids;
        _activations = activations;
        Units = units;
        UnitCount = (int)masks.Count;
        ImagesPerUnit = (int)masks.Header.Shape[1];
        Size = (int)masks.Header.Shape[3];
        _positionByUnit = new Dictionary<int, int>(units.Length);
        for (int i = 0; i < units.Length; i++) _positionByUnit[units[i]] = i;
    }

    /// <summary>Opens and validates a layer folder; images.npy may be missing (see <see cref="HasImages"/>).</summary>
    public static TopImagesLayer Open(string folder, string name)
    {
        string masksPath = Path.Combine(folder, MasksFile);
        if (!File.Exists(masksPath))
            throw MilanInputException.InFile(masksPath, $"file not found (every layer folder needs {MasksFile})");
        var masks = new NpyMappedArray(masksPath);
        NpyMappedArray? images = null;
        try
        {
            var shape = masks.Header.Shape;
            if (masks.Header.Type is not (NpyType.UInt8 or NpyType.Bool) || shape.Length != 5 || shape[2] != 1 || shape[3] != shape[4])
                throw MilanInputException.InFile(masksPath, $"expected uint8 masks of shape (units, K, 1, S, S), found {NpyTypeName(masks.Header.Type)} {masks.Header.ShapeText}");
            long units = shape[0], k = shape[1], size = shape[3];

            string imagesPath = Path.Combine(folder, ImagesFile);
            if (File.Exists(imagesPath))
            {
                images = new NpyMappedArray(imagesPath);
                var imageShape = images.Header.Shape;
                if (images.Header.Type != NpyType.UInt8 || imageShape.Length != 5 || imageShape[2] != 3)
                    throw MilanInputException.InFile(imagesPath, $"expected uint8 images of shape (units, K, 3, S, S), found {NpyTypeName(images.Header.Type)} {images.Header.ShapeText}");
                if (imageShape[0] != units || imageShape[1] != k || imageShape[3] != size || imageShape[4] != size)
                    throw MilanInputException.InFile(imagesPath, $"shape {images.Header.ShapeText} does not match {MasksFile} {masks.Header.ShapeText} (expected ({units}, {k}, 3, {size}, {size}))");
            }

            int[] unitIds = ReadUnits(Path.Combine(folder, UnitsFile), units);
            int[][]? ids = ReadRows(Path.Combine(folder, IdsFile), units, k, ParseId);
            float[][]? activations = ReadRows(Path.Combine(folder, ActivationsFile), units, k, ParseActivation);
            return new TopImagesLayer(folder, name, masks, images, unitIds, ids, activations);
        }
        catch
        {
            masks.Dispose();
            images?.Dispose();
            throw;
        }
    }

    /// <summary>The position of a unit id in this layer's files, or -1.</summary>
    public int PositionOf(int unit) => _positionByUnit.GetValueOrDefault(unit, -1);

    /// <summary>The K exemplar images of the unit at <paramref name="position"/>: (K, 3, S, S) uint8 on the CPU.</summary>
    public Tensor ReadImages(int position)
    {
        if (_images is null)
            throw MilanInputException.InFile(Path.Combine(Folder, ImagesFile), "file not found: this layer ships without source images; load it with source-image merging (see docs/annotations.md)");
        return _images.Read(position);
    }

    /// <summary>The K masks of the unit at <paramref name="position"/>: (K, 1, S, S) uint8 0/1 on the CPU.</summary>
    public Tensor ReadMasks(int position)
    {
        var masks = _masks.Read(position);
        if (masks.dtype == ScalarType.Byte) return masks;
        using (masks) return masks.to(ScalarType.Byte);
    }

    /// <summary>The unit's K source-image indices from ids.csv, or null when the file is absent.</summary>
    public IReadOnlyList<int>? ImageIds(int position) => _ids?[position];

    /// <summary>The unit's K top activations from activations.csv, or null when the file is absent.</summary>
    public IReadOnlyList<float>? Activations(int position) => _activations?[position];

    public void Dispose()
    {
        _masks.Dispose();
        _images?.Dispose();
    }

    private static int[] ReadUnits(string path, long units)
    {
        if (!File.Exists(path)) return Enumerable.Range(0, checked((int)units)).ToArray();
        var values = Npy.ReadInt64(path, out var shape);
        if (shape.Length != 1 || shape[0] != units)
            throw MilanInputException.InFile(path, $"expected {units} unit ids of shape ({units},) (one per unit in {MasksFile}), found shape ({string.Join(", ", shape)})");
        var seen = new HashSet<long>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < 0 || values[i] > int.MaxValue)
                throw MilanInputException.InFile(path, $"entry {i}: unit id {values[i]} is outside 0..{int.MaxValue}");
            if (!seen.Add(values[i]))
                throw MilanInputException.InFile(path, $"entry {i}: unit id {values[i]} appears twice");
        }
        return values.Select(v => (int)v).ToArray();
    }

    private static T[][]? ReadRows<T>(string path, long units, long k, Func<string, T?> parse) where T : struct
    {
        if (!File.Exists(path)) return null;
        var rows = new List<T[]>();
        foreach (var (line, fields) in CsvFile.Read(path))
        {
            if (fields.Length != k)
                throw MilanInputException.InFile(path, $"line {line}: {fields.Length} value(s), expected {k} (one per exemplar image, as in {MasksFile})");
            var row = new T[k];
            for (int j = 0; j < k; j++)
                row[j] = parse(fields[j]) ?? throw MilanInputException.InFile(path, $"line {line}, value {j + 1}: '{fields[j]}' is not {(typeof(T) == typeof(int) ? "an image index (integer >= 0)" : "a number")}");
            rows.Add(row);
        }
        if (rows.Count != units)
            throw MilanInputException.InFile(path, $"{rows.Count} row(s), but {MasksFile} holds {units} unit(s) (expected one row per unit)");
        return rows.ToArray();
    }

    private static int? ParseId(string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : null;

    private static float? ParseActivation(string text) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float value) ? value : null;

    private static string NpyTypeName(NpyType type) => type.ToString().ToLowerInvariant();
}
