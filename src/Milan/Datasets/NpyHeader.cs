using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Milan.Datasets;

/// <summary>
/// The header of a .npy file (format versions 1.0, 2.0 and 3.0): element type, shape, and where the
/// data starts. Parsing is strict; every problem names the file and what was expected.
/// </summary>
public sealed partial record NpyHeader(NpyType Type, long[] Shape, long DataOffset)
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public long DataLength => ElementCount * NpyTypes.Size(Type);

    public string ShapeText => $"({string.Join(", ", Shape)})";

    public static NpyHeader Read(string path, Stream stream)
    {
        Span<byte> prefix = stackalloc byte[10];
        if (stream.Length < 10 || stream.Read(prefix) != 10)
            throw MilanInputException.InFile(path, "not a .npy file (shorter than the 10-byte preamble)");
        if (!prefix[..6].SequenceEqual(Magic))
            throw MilanInputException.InFile(path, "not a .npy file (missing the \\x93NUMPY magic string)");
        byte major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw MilanInputException.InFile(path, $"unsupported .npy format version {major}.{minor} (expected 1.0, 2.0 or 3.0)");

        long headerLength;
        int preamble;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            preamble = 10;
        }
        else
        {
            Span<byte> rest = stackalloc byte[2];
            if (stream.Read(rest) != 2) throw MilanInputException.InFile(path, "truncated .npy preamble");
            Span<byte> length = stackalloc byte[4];
            prefix[8..10].CopyTo(length);
            rest.CopyTo(length[2..]);
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(length);
            preamble = 12;
        }
        if (preamble + headerLength > stream.Length)
            throw MilanInputException.InFile(path, $"truncated .npy header (declares {headerLength} bytes, file has {stream.Length - preamble})");
        byte[] headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var header = Parse(path, text, preamble + headerLength);

        long available = stream.Length - header.DataOffset;
        if (available < header.DataLength)
            throw MilanInputException.InFile(path, $"truncated .npy data: shape {header.ShapeText} of {NpyTypes.Descr(header.Type)} needs {header.DataLength} bytes, the file holds {available}");
        if (available > header.DataLength)
            throw MilanInputException.InFile(path, $"malformed .npy: {available - header.DataLength} bytes after the data of shape {header.ShapeText}");
        return header;
    }

    private static NpyHeader Parse(string path, string text, long dataOffset)
    {
        var descr = DescrPattern().Match(text);
        var fortran = FortranPattern().Match(text);
        var shape = ShapePattern().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success || !text.TrimStart().StartsWith('{'))
            throw MilanInputException.InFile(path, $"malformed .npy header {text.Trim()} (expected a dict with 'descr', 'fortran_order' and 'shape')");
        if (fortran.Groups[1].Value == "True")
            throw MilanInputException.InFile(path, "Fortran-ordered .npy arrays are not supported (save with C order)");
        var type = NpyTypes.FromDescr(descr.Groups[1].Value)
                   ?? throw MilanInputException.InFile(path, $"unsupported .npy dtype '{descr.Groups[1].Value}' (expected |u1, |b1, <i4, <i8, <f4 or <f8)");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            string dim = dims[i].TrimEnd('L');
            if (!long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out parsed[i]))
                throw MilanInputException.InFile(path, $"malformed .npy shape '({shape.Groups[1].Value})'");
        }
        try
        {
            // A shape whose byte count does not fit in 63 bits cannot describe a file: refuse it before any size arithmetic.
            _ = checked(parsed.Aggregate(1L, (a, b) => a * b) * NpyTypes.Size(type));
        }
        catch (OverflowException)
        {
            throw MilanInputException.InFile(path, $"malformed .npy: shape ({shape.Groups[1].Value}) declares more bytes than any file can hold");
        }
        return new NpyHeader(type, parsed, dataOffset);
    }

    /// <summary>The preamble and header bytes for an array, padded so the data starts at a multiple of 64.</summary>
    public static byte[] Encode(NpyType type, IReadOnlyList<long> shape)
    {
        string dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '{NpyTypes.Descr(type)}', 'fortran_order': False, 'shape': ({dims}), }}";
        bool needsVersion2 = dict.Length + 11 > ushort.MaxValue;
        int preamble = needsVersion2 ? 12 : 10;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        var bytes = new byte[padded];
        Magic.CopyTo(bytes, 0);
        bytes[6] = needsVersion2 ? (byte)2 : (byte)1;
        bytes[7] = 0;
        if (needsVersion2) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.Latin1.GetBytes(header, bytes.AsSpan(preamble));
        return bytes;
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]+)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
