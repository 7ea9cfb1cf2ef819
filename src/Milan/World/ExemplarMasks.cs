using System.Globalization;
using Milan.Datasets;
using Milan.IO;

namespace Milan.World;

/// <summary>
/// One layer of an exemplar folder in the MILANNOTATIONS layout (milan-spec §2.1), read for the
/// simulated annotators: masks.npy (units, k, 1, S, S) uint8 0/1, ids.csv (units x k indices into
/// the probed image source) and optional units.npy (unit ids; 0..units-1 when absent). Masks are
/// memory-mapped and read unit by unit.
/// </summary>
public sealed class ExemplarMasks : IDisposable
{
    public const string MasksFile = "masks.npy";
    public const string IdsFile = "ids.csv";
    public const string UnitsFile = "units.npy";

    private readonly NpyMappedArray _masks;

    public string Layer { get; }
    public IReadOnlyList<long> Units { get; }
    public int[][] Ids { get; }
    public int K { get; }
    public int MaskSize { get; }

    public ExemplarMasks(string layerFolder)
    {
        Layer = Path.GetFileName(Path.GetFullPath(layerFolder).TrimEnd(Path.DirectorySeparatorChar));
        string masksPath = Path.Combine(layerFolder, MasksFile);
        _masks = new NpyMappedArray(masksPath);
        var shape = _masks.Header.Shape;
        if (_masks.Header.Type != NpyType.UInt8 || shape.Length != 5 || shape[2] != 1 || shape[3] != shape[4])
        {
            _masks.Dispose();
            throw MilanInputException.InFile(masksPath, $"expected uint8 masks of shape (units, k, 1, S, S), found {NpyTypes.Descr(_masks.Header.Type)} {_masks.Header.ShapeText}");
        }
        int units = (int)shape[0];
        K = (int)shape[1];
        MaskSize = (int)shape[3];
        Ids = ReadIds(Path.Combine(layerFolder, IdsFile), units, K);
        string unitsPath = Path.Combine(layerFolder, UnitsFile);
        if (File.Exists(unitsPath))
        {
            var ids = Npy.ReadInt64(unitsPath, out var unitShape);
            if (unitShape.Length != 1 || ids.Length != units)
                throw MilanInputException.InFile(unitsPath, $"expected {units} unit ids (one per row of masks.npy), found shape ({string.Join(", ", unitShape)})");
            Units = ids;
        }
        else
        {
            Units = Enumerable.Range(0, units).Select(u => (long)u).ToArray();
        }
    }

    /// <summary>The layer folders of an exemplar folder (those holding masks.npy), ordered by name as strings, as the reference sorts them.</summary>
    public static IReadOnlyList<string> LayerFolders(string exemplarFolder)
    {
        if (!Directory.Exists(exemplarFolder)) throw MilanInputException.InFile(exemplarFolder, "exemplar folder not found");
        var layers = Directory.EnumerateDirectories(exemplarFolder)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, MasksFile)))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .ToArray();
        if (layers.Length == 0) throw MilanInputException.InFile(exemplarFolder, $"no layer folders with {MasksFile} (expected <dir>/<layer>/{MasksFile}, {IdsFile})");
        return layers;
    }

    /// <summary>The k masks of the unit in row <paramref name="row"/>, each S*S bytes (0 or 1).</summary>
    public byte[][] UnitMasks(int row)
    {
        using var tensor = _masks.Read(row, 1);
        var bytes = tensor.bytes.ToArray();
        int pixels = MaskSize * MaskSize;
        return Enumerable.Range(0, K).Select(k => bytes.AsSpan(k * pixels, pixels).ToArray()).ToArray();
    }

    private static int[][] ReadIds(string path, int units, int k)
    {
        var rows = CsvFile.Read(path);
        if (rows.Count != units) throw MilanInputException.InFile(path, $"{rows.Count} rows, expected {units} (one per unit of masks.npy)");
        return rows.Select(row =>
        {
            if (row.Fields.Length != k) throw MilanInputException.InFile(path, $"line {row.Line} has {row.Fields.Length} ids, expected {k}");
            return row.Fields.Select((cell, c) =>
                double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value == Math.Floor(value)
                    ? (int)value
                    : throw MilanInputException.InFile(path, $"line {row.Line}, column {c + 1}: '{cell}' is not an image index")).ToArray();
        }).ToArray();
    }

    public void Dispose() => _masks.Dispose();
}
