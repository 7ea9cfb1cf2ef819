using static TorchSharp.torch;

namespace Milan.Datasets;

/// <summary>The element types this library reads and writes in .npy files (little-endian, C order).</summary>
public enum NpyType { UInt8, Bool, Int32, Int64, Float32, Float64 }

internal static class NpyTypes
{
    public static string Descr(NpyType type) => type switch
    {
        NpyType.UInt8 => "|u1", NpyType.Bool => "|b1", NpyType.Int32 => "<i4",
        NpyType.Int64 => "<i8", NpyType.Float32 => "<f4", NpyType.Float64 => "<f8",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a numpy type string; "|u1" and "&lt;u1" (and "=" for native little-endian) are the same.</summary>
    public static NpyType? FromDescr(string descr)
    {
        if (descr.Length < 2) return null;
        char order = descr[0];
        string code = descr[1..];
        bool littleOrIrrelevant = order is '<' or '|' or '=';
        if (!littleOrIrrelevant) return null;
        return code switch
        {
            "u1" => NpyType.UInt8, "b1" => NpyType.Bool, "i4" => NpyType.Int32,
            "i8" => NpyType.Int64, "f4" => NpyType.Float32, "f8" => NpyType.Float64,
            _ => null,
        };
    }

    public static int Size(NpyType type) => type switch
    {
        NpyType.UInt8 or NpyType.Bool => 1, NpyType.Int32 or NpyType.Float32 => 4,
        NpyType.Int64 or NpyType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static ScalarType ToScalar(NpyType type) => type switch
    {
        NpyType.UInt8 => ScalarType.Byte, NpyType.Bool => ScalarType.Bool, NpyType.Int32 => ScalarType.Int32,
        NpyType.Int64 => ScalarType.Int64, NpyType.Float32 => ScalarType.Float32, NpyType.Float64 => ScalarType.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static NpyType FromScalar(ScalarType type) => type switch
    {
        ScalarType.Byte => NpyType.UInt8, ScalarType.Bool => NpyType.Bool, ScalarType.Int32 => NpyType.Int32,
        ScalarType.Int64 => NpyType.Int64, ScalarType.Float32 => NpyType.Float32, ScalarType.Float64 => NpyType.Float64,
        _ => throw new ArgumentException($"dtype {type} cannot be written to .npy by this library"),
    };

    public static NpyType FromClr<T>() where T : unmanaged => default(T) switch
    {
        byte => NpyType.UInt8, bool => NpyType.Bool, int => NpyType.Int32,
        long => NpyType.Int64, float => NpyType.Float32, double => NpyType.Float64,
        _ => throw new ArgumentException($"element type {typeof(T).Name} is not supported in .npy"),
    };
}
