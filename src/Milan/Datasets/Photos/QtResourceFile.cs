using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Milan.IO;

namespace Milan.Datasets.Photos;

/// <summary>
/// Reads the files inside a compiled Qt resource file (.rcc, as rcc writes it, format versions 1 to 3):
/// the header "qres", version, and the offsets of the tree, data and names sections (big-endian
/// 32-bit); tree nodes of 14 bytes (version 1) or 22 (with a modification time) holding a name offset,
/// flags (2 = directory, 1 = zlib-compressed, 4 = zstd) and either a child count and first child or a
/// data offset; names as a 16-bit length, a 32-bit hash and UTF-16BE characters; data as a 32-bit
/// length then the bytes (compressed: a 32-bit uncompressed length then a zlib stream).
/// </summary>
public static class QtResourceFile
{
    private const int DirectoryFlag = 2, ZlibFlag = 1, ZstdFlag = 4;

    /// <summary>Every file in the resource, as (path inside the resource, without a leading '/'; contents), in tree order.</summary>
    public static IEnumerable<(string Path, byte[] Data)> Files(string path)
    {
        byte[] bytes = InputFileBytes(path);
        if (bytes.Length < 20 || Encoding.ASCII.GetString(bytes, 0, 4) != "qres")
            throw MilanInputException.InFile(path, "not a Qt resource file (expected the magic 'qres')");
        int version = Int(bytes, 4, path), tree = Int(bytes, 8, path), data = Int(bytes, 12, path), names = Int(bytes, 16, path);
        if (version is < 1 or > 3) throw MilanInputException.InFile(path, $"Qt resource format version {version} (this reader knows 1 to 3)");
        int nodeSize = version == 1 ? 14 : 22;
        long nodes = tree >= 0 && tree < bytes.Length ? (bytes.Length - tree) / nodeSize : 0;
        var pending = new Stack<(int Node, string Folder)>();
        pending.Push((0, ""));
        var visited = new HashSet<int>();
        while (pending.Count > 0)
        {
            var (node, folder) = pending.Pop();
            if (!visited.Add(node)) throw MilanInputException.InFile(path, $"tree node {node} is reached twice (a damaged file)");
            if (node < 0 || node >= nodes) throw MilanInputException.InFile(path, $"tree node {node} lies outside the tree of {nodes} nodes (a damaged file)");
            int at = tree + node * nodeSize;
            int flags = Short(bytes, at + 4, path);
            string name = node == 0 ? "" : Name(bytes, names + Int(bytes, at, path), path);
            string full = folder.Length == 0 ? name : folder + "/" + name;
            if ((flags & DirectoryFlag) != 0)
            {
                int count = Int(bytes, at + 6, path), first = Int(bytes, at + 10, path);
                if (count < 0 || first < 0 || (long)first + count > nodes)
                    throw MilanInputException.InFile(path, $"{full}: {count} children from node {first}, but the tree has {nodes} nodes (a damaged file)");
                for (int child = first + count - 1; child >= first; child--) pending.Push((child, full));
                continue;
            }
            if ((flags & ZstdFlag) != 0) throw MilanInputException.InFile(path, $"{full}: zstd-compressed (this reader knows plain and zlib entries)");
            long start = (long)data + Int(bytes, at + 10, path);
            if (start < 0 || start > int.MaxValue) throw Outside(path, start);
            int offset = (int)start;
            int length = Int(bytes, offset, path);
            if (length < 0 || offset + 4L + length > bytes.Length) throw MilanInputException.InFile(path, $"{full}: data runs past the end of the file");
            var content = bytes.AsSpan(offset + 4, length);
            yield return (full, (flags & ZlibFlag) != 0 ? Inflate(content, path, full) : content.ToArray());
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> content, string path, string entry)
    {
        if (content.Length < 4) throw MilanInputException.InFile(path, $"{entry}: compressed entry shorter than its length field");
        int expected = BinaryPrimitives.ReadInt32BigEndian(content);
        if (expected < 0) throw MilanInputException.InFile(path, $"{entry}: negative uncompressed length {expected}");
        using var input = new MemoryStream(content[4..].ToArray());
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[1 << 16];
        try
        {
            // Read no more than the entry says (plus one byte to notice more): a damaged length cannot make it inflate without bound.
            for (int read; output.Length <= expected && (read = zlib.Read(buffer, 0, (int)Math.Min(buffer.Length, expected + 1L - output.Length))) > 0;)
                output.Write(buffer, 0, read);
        }
        catch (InvalidDataException e)
        {
            throw MilanInputException.InFile(path, $"{entry}: damaged zlib data ({e.Message})");
        }
        if (output.Length != expected) throw MilanInputException.InFile(path, $"{entry}: {output.Length} bytes after decompression, the entry says {expected}");
        return output.ToArray();
    }

    private static string Name(byte[] bytes, int at, string path)
    {
        int length = Short(bytes, at, path);
        if (at + 6L + 2L * length > bytes.Length) throw MilanInputException.InFile(path, "a name runs past the end of the file");
        return Encoding.BigEndianUnicode.GetString(bytes, at + 6, 2 * length);
    }

    private static int Int(byte[] bytes, int at, string path) =>
        at >= 0 && at + 4L <= bytes.Length ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at)) : throw Outside(path, at);

    private static int Short(byte[] bytes, int at, string path) =>
        at >= 0 && at + 2L <= bytes.Length ? BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at)) : throw Outside(path, at);

    private static MilanInputException Outside(string path, long at) => MilanInputException.InFile(path, $"offset {at} lies outside the file (a damaged resource)");

    private static byte[] InputFileBytes(string path)
    {
        using var stream = InputFile.OpenRead(path);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
