using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using SkiaSharp;

namespace Milan.Tests.Support;

/// <summary>
/// Fake unpacked Debian packages for the photo tests (no real package is needed):
/// <code>
/// mate-backgrounds/usr/share/backgrounds/mate/nature/forest.jpg        photo-like, 240×200 (kept)
/// mate-backgrounds/usr/share/backgrounds/mate/small/forest-small.jpg   the same picture, 180×150 (a duplicate)
/// mate-backgrounds/usr/share/backgrounds/mate/abstract/stripes.png     three flat colours, 200×200 (few colours)
/// mate-backgrounds/usr/share/backgrounds/mate/icon.png                 photo-like, 64×64 (small)
/// mate-backgrounds/usr/share/doc/mate-backgrounds/copyright           DEP-5: * GPL-2+, nature/* CC0-1.0
/// tuxpaint-stamps-default/usr/share/tuxpaint/stamps/animals/cut.png    photo-like with transparent corners (kept, composited)
/// gcompris-qt-data/usr/share/gcompris-qt/rcc/act.rcc                  a Qt resource: a photo (zlib) and a .qml file
/// </code>
/// "Photo-like" is a smooth colour gradient with per-pixel noise of ±24, which passes the filter the way
/// photographs do (thousands of colours, few flat neighbours).
/// </summary>
public static class PhotoPackagesFixture
{
    public const string RccPhoto = "gcompris/src/activities/act/resource/bird.webp";

    public static void Write(string root)
    {
        string mate = Path.Combine(root, "mate-backgrounds", "usr", "share", "backgrounds", "mate");
        Save(Path.Combine(mate, "nature", "forest.jpg"), PhotoLike(240, 200, seed: 1), 240, 200, SKEncodedImageFormat.Jpeg);
        Save(Path.Combine(mate, "small", "forest-small.jpg"), Scaled(PhotoLike(240, 200, seed: 1), 240, 200, 180, 150), 180, 150, SKEncodedImageFormat.Jpeg);
        Save(Path.Combine(mate, "abstract", "stripes.png"), Stripes(200, 200), 200, 200, SKEncodedImageFormat.Png);
        Save(Path.Combine(mate, "icon.png"), PhotoLike(64, 64, seed: 2), 64, 64, SKEncodedImageFormat.Png);
        string doc = Path.Combine(root, "mate-backgrounds", "usr", "share", "doc", "mate-backgrounds");
        Directory.CreateDirectory(doc);
        File.WriteAllText(Path.Combine(doc, "copyright"),
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nCopyright: someone\nLicense: GPL-2+\n\nFiles: nature/*\nCopyright: a photographer\nLicense: CC0-1.0\n Public domain dedication.\n\nLicense: GPL-2+\n The text.\n");

        var cut = PhotoLike(200, 200, seed: 3);
        for (int y = 0; y < 200; y++)
            for (int x = 0; x < 200; x++)
                if ((x - 100) * (x - 100) + (y - 100) * (y - 100) > 95 * 95) cut[(y * 200 + x) * 4 + 3] = 0;
        Save(Path.Combine(root, "tuxpaint-stamps-default", "usr", "share", "tuxpaint", "stamps", "animals", "cut.png"), cut, 200, 200, SKEncodedImageFormat.Png);

        byte[] bird = Encode(PhotoLike(220, 180, seed: 4), 220, 180, SKEncodedImageFormat.Webp);
        string rcc = Path.Combine(root, "gcompris-qt-data", "usr", "share", "gcompris-qt", "rcc", "act.rcc");
        Directory.CreateDirectory(Path.GetDirectoryName(rcc)!);
        File.WriteAllBytes(rcc, QtResource([(RccPhoto, bird, true), ("gcompris/src/activities/act/Act.qml", Encoding.UTF8.GetBytes("Item {}"), false)]));
    }

    /// <summary>
    /// RGBA of a photo-like picture: a colour gradient plus uniform noise in [-24, 24] per channel; bits 0
    /// and 1 of the seed mirror the gradient across x and y, so that pictures of different seeds differ.
    /// </summary>
    public static byte[] PhotoLike(int width, int height, int seed)
    {
        var random = new Random(seed);
        var rgba = new byte[width * height * 4];
        for (int row = 0; row < height; row++)
            for (int column = 0; column < width; column++)
            {
                int x = (seed & 1) != 0 ? width - 1 - column : column, y = (seed & 2) != 0 ? height - 1 - row : row;
                int i = (row * width + column) * 4;
                rgba[i] = Clamp(60 + 120 * x / width + random.Next(-24, 25));
                rgba[i + 1] = Clamp(80 + 100 * y / height + random.Next(-24, 25));
                rgba[i + 2] = Clamp(140 - 60 * (x + y) / (width + height) + random.Next(-24, 25));
                rgba[i + 3] = 255;
            }
        return rgba;
    }

    private static byte[] Stripes(int width, int height)
    {
        byte[][] colours = [[200, 30, 30], [30, 200, 30], [30, 30, 200]];
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 4;
                var c = colours[x * 3 / width];
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (c[0], c[1], c[2], 255);
            }
        return rgba;
    }

    private static byte[] Scaled(byte[] rgba, int width, int height, int toWidth, int toHeight)
    {
        using var source = Bitmap(rgba, width, height);
        using var scaled = new SKBitmap(new SKImageInfo(toWidth, toHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        source.ScalePixels(scaled, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        return scaled.Bytes;
    }

    private static void Save(string path, byte[] rgba, int width, int height, SKEncodedImageFormat format)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encode(rgba, width, height, format));
    }

    private static byte[] Encode(byte[] rgba, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = Bitmap(rgba, width, height);
        using var data = bitmap.Encode(format, 95);
        return data.ToArray();
    }

    private static SKBitmap Bitmap(byte[] rgba, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    /// <summary>
    /// A Qt resource file (format version 2) holding the given files, written from Qt's documented
    /// layout independently of the reader: root node, one directory node per folder, file nodes.
    /// </summary>
    public static byte[] QtResource(IReadOnlyList<(string Path, byte[] Data, bool Compress)> files)
    {
        // The tree as nested folders; nodes are numbered breadth-first, children of a folder contiguous.
        var root = new Folder("");
        foreach (var (path, content, compress) in files)
        {
            var parts = path.Split('/');
            var folder = root;
            foreach (var part in parts[..^1]) folder = folder.Child(part);
            folder.Files.Add((parts[^1], content, compress));
        }
        var nodes = new List<object> { root };
        for (int i = 0; i < nodes.Count; i++)
            if (nodes[i] is Folder f)
            {
                f.FirstChild = nodes.Count;
                nodes.AddRange(f.Folders);
                nodes.AddRange(f.Files.Select(x => (object)x));
            }
        var names = new MemoryStream();
        var nameOffsets = new Dictionary<string, int>();
        int NameOffset(string name)
        {
            if (nameOffsets.TryGetValue(name, out int at)) return at;
            at = (int)names.Length;
            names.Write(BigEndian16(name.Length));
            names.Write(BigEndian32(0));
            names.Write(Encoding.BigEndianUnicode.GetBytes(name));
            return nameOffsets[name] = at;
        }
        var data = new MemoryStream();
        var tree = new MemoryStream();
        foreach (var node in nodes)
        {
            if (node is Folder folder)
            {
                tree.Write(BigEndian32(folder.Name.Length == 0 ? 0 : NameOffset(folder.Name)));
                tree.Write(BigEndian16(2));
                tree.Write(BigEndian32(folder.Folders.Count + folder.Files.Count));
                tree.Write(BigEndian32(folder.FirstChild));
            }
            else
            {
                var (name, bytes, compress) = ((string, byte[], bool))node;
                byte[] stored = bytes;
                if (compress)
                {
                    var zipped = new MemoryStream();
                    zipped.Write(BigEndian32(bytes.Length));
                    using (var zlib = new ZLibStream(zipped, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(bytes);
                    stored = zipped.ToArray();
                }
                tree.Write(BigEndian32(NameOffset(name)));
                tree.Write(BigEndian16(compress ? 1 : 0));
                tree.Write(BigEndian16(0));   // country
                tree.Write(BigEndian16(0));   // language
                tree.Write(BigEndian32((int)data.Length));
                data.Write(BigEndian32(stored.Length));
                data.Write(stored);
            }
            tree.Write(new byte[8]);   // last modified (version 2)
        }
        const int header = 20;
        int dataOffset = header, namesOffset = dataOffset + (int)data.Length, treeOffset = namesOffset + (int)names.Length;
        var file = new MemoryStream();
        file.Write("qres"u8);
        file.Write(BigEndian32(2));
        file.Write(BigEndian32(treeOffset));
        file.Write(BigEndian32(dataOffset));
        file.Write(BigEndian32(namesOffset));
        file.Write(data.ToArray());
        file.Write(names.ToArray());
        file.Write(tree.ToArray());
        return file.ToArray();
    }

    private sealed class Folder(string name)
    {
        public string Name => name;
        public List<Folder> Folders { get; } = [];
        public List<(string, byte[], bool)> Files { get; } = [];
        public int FirstChild { get; set; }

        public Folder Child(string child)
        {
            var found = Folders.FirstOrDefault(f => f.Name == child);
            if (found is null) Folders.Add(found = new Folder(child));
            return found;
        }
    }

    private static byte[] BigEndian32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }
}
