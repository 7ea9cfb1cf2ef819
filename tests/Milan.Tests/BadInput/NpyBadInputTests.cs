using System.Text;
using Milan.Datasets;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.BadInput;

/// <summary>Bad .npy files given to the npy readers (<see cref="Npy"/>, <see cref="NpyMappedArray"/>, <see cref="NpyImageSource"/>).</summary>
public class NpyBadInputTests
{
    /// <summary>A valid (2, 3, 4, 4) uint8 image array as numpy writes it.</summary>
    private static byte[] Images()
    {
        var bytes = NpyHeader.Encode(NpyType.UInt8, [2, 3, 4, 4]);
        return [.. bytes, .. Enumerable.Range(0, 96).Select(i => (byte)i)];
    }

    /// <summary>A .npy file with a hand-written header dict (padded as numpy pads it) and <paramref name="data"/> bytes after it.</summary>
    private static byte[] WithHeader(string dict, int data, byte major = 1)
    {
        int preamble = major == 1 ? 10 : 12;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        var bytes = new List<byte>([0x93, .. "NUMPY"u8.ToArray(), major, 0]);
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        bytes.AddRange(new byte[data]);
        return [.. bytes];
    }

    private static void ReadTensor(string path)
    {
        using var tensor = Npy.ReadTensor(path);
    }

    [Fact]
    public void A_file_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] npy = Images();
        foreach (int cut in Refusal.CutPoints(npy.Length))
        {
            string path = Refusal.Write(folder, "images.npy", npy[..cut]);
            Refusal.Expect(path, () => ReadTensor(path), cut < 10 ? "shorter than the 10-byte preamble" : cut < 128 ? "truncated .npy header" : "truncated .npy data");
            Refusal.Expect(path, () => new NpyMappedArray(path).Dispose());
        }
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "empty.npy", []);
        Refusal.Expect(path, () => ReadTensor(path), "not a .npy file");
    }

    [Fact]
    public void Wrong_magic_and_unknown_versions_are_refused()
    {
        using var folder = new TempFolder();
        byte[] npy = Images();
        npy[1] = (byte)'X';
        string path = Refusal.Write(folder, "magic.npy", npy);
        Refusal.Expect(path, () => ReadTensor(path), "magic");

        npy = Images();
        npy[6] = 4;
        path = Refusal.Write(folder, "version.npy", npy);
        Refusal.Expect(path, () => ReadTensor(path), "format version 4.0");
    }

    [Theory]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16, "unsupported .npy dtype '<c8'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "unsupported .npy dtype '>f4'")]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", 16, "unsupported .npy dtype '|O'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, "Fortran-ordered")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", 16, "malformed .npy header")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", 16, "malformed .npy shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 16, "malformed .npy shape")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12, "bytes after the data")]
    public void Wrong_dtypes_orders_and_shapes_are_refused(string dict, int data, string what)
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "array.npy", WithHeader(dict, data));
        Refusal.Expect(path, () => ReadTensor(path), what);
    }

    [Theory]
    [InlineData("(4294967296, 4294967296, 4294967296)", "declares more bytes than any file can hold")]
    [InlineData("(1000000000, 1000000000)", "truncated .npy data")]
    public void Huge_declared_shapes_are_refused_before_any_allocation(string shape, string what)
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "huge.npy", WithHeader($"{{'descr': '|u1', 'fortran_order': False, 'shape': {shape}, }}", 64));
        Refusal.Expect(path, () => ReadTensor(path), what);
        Refusal.Expect(path, () => Npy.ReadArray<byte>(path, out _), what);
    }

    [Fact]
    public void A_version_2_header_declaring_gigabytes_is_refused()
    {
        using var folder = new TempFolder();
        byte[] npy = WithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", 1, major: 2);
        BitConverter.GetBytes(uint.MaxValue).CopyTo(npy, 8);
        string path = Refusal.Write(folder, "v2.npy", npy);
        Refusal.Expect(path, () => ReadTensor(path), "truncated .npy header");
    }

    [Fact]
    public void An_image_source_with_the_wrong_dtype_layout_or_labels_is_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        string channelsLast = folder.File("last/images.npy");
        Directory.CreateDirectory(Path.GetDirectoryName(channelsLast)!);
        using (var images = zeros([2, 4, 4, 3], ScalarType.Byte)) Npy.Write(channelsLast, images);
        Refusal.Expect(channelsLast, () => new NpyImageSource(Path.GetDirectoryName(channelsLast)!).Dispose(), "expected uint8 images of shape (N, 3, S, S)", "(2, 4, 4, 3)");

        string floats = folder.File("floats/images.npy");
        Directory.CreateDirectory(Path.GetDirectoryName(floats)!);
        using (var images = zeros([2, 3, 4, 4], ScalarType.Float32)) Npy.Write(floats, images);
        Refusal.Expect(floats, () => new NpyImageSource(Path.GetDirectoryName(floats)!).Dispose(), "<f4");

        string good = folder.File("labels/images.npy");
        string source = Path.GetDirectoryName(good)!;
        Directory.CreateDirectory(source);
        File.WriteAllBytes(good, Images());
        string labels = Path.Combine(source, NpyImageSource.LabelsFile);
        Npy.Write<float>(labels, [0f, 1f], 2);
        Refusal.Expect(labels, () => new NpyImageSource(source).Dispose(), "expected integers");
        Npy.Write<long>(labels, [0, 7], 2);
        File.WriteAllText(Path.Combine(source, NpyImageSource.ClassesFile), "[\"cat\", \"dog\"]");
        Refusal.Expect(labels, () => new NpyImageSource(source).Dispose(), "label 7 of image 1 is outside the 2 classes");
        Npy.Write<long>(labels, [0, 1], 2);
        string classes = Path.Combine(source, NpyImageSource.ClassesFile);
        File.WriteAllText(classes, "[\"cat\", ");
        Refusal.Expect(classes, () => new NpyImageSource(source).Dispose(), "expected a JSON list of class names");
        File.WriteAllText(classes, "{\"cat\": 0}");
        Refusal.Expect(classes, () => new NpyImageSource(source).Dispose(), "expected a JSON list of class names");
    }

    [Fact]
    public void A_folder_where_the_file_should_be_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("images.npy");
        Directory.CreateDirectory(path);
        Refusal.Expect(path, () => ReadTensor(path), "is a folder");
        Refusal.Expect(path, () => new NpyImageSource(folder.Path).Dispose(), "is a folder");
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        string good = Refusal.Write(folder, "données d'été/ïmages 1.npy", Images());
        using (var tensor = Npy.ReadTensor(good)) Assert.Equal([2L, 3, 4, 4], tensor.shape);
        string broken = Refusal.Write(folder, "données d'été/ïmages 2.npy", Images()[..100]);
        Refusal.Expect(broken, () => ReadTensor(broken), "truncated");
    }

    [PermissionFact]
    public void An_unreadable_file_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string path = Refusal.Write(folder, "images.npy", Images());
        Refusal.MakeUnreadable(path);
        Refusal.Expect(path, () => ReadTensor(path), "permission denied");
    }
}
