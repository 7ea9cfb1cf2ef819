using Milan.Datasets;
using Milan.Tests.Datasets;
using Milan.Tests.Support;

namespace Milan.Tests.BadInput;

/// <summary>Bad image files given to an image folder (<see cref="ImageFolderSource"/>, decoding through SkiaSharp).</summary>
public class ImageBadInputTests
{
    private static ImageFolderSource Open(string root, long maxImagePixels = ImageFolderSource.DefaultMaxImagePixels) =>
        new(root, new ImageFolderTransform(16, 16), maxImagePixels);

    private static void Read(string root, long maxImagePixels = ImageFolderSource.DefaultMaxImagePixels)
    {
        using var bytes = Open(root, maxImagePixels).ReadBytes([0]);
    }

    private static byte[] SmallPng(TempFolder folder)
    {
        string path = folder.File("scratch/picture.png");
        TestImages.Write(path, 40, 30, (x, y) => TestImages.Pattern(x, y, 3));
        byte[] bytes = File.ReadAllBytes(path);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        return bytes;
    }

    [Fact]
    public void A_valid_20000_square_png_is_refused_from_its_header_naming_the_file_and_its_size()
    {
        using var folder = new TempFolder();
        string bomb = folder.File("cats/bomb.png");
        TestImages.WriteBlankPng(bomb, 20000, 20000);
        Assert.InRange(new FileInfo(bomb).Length, 1, 2_000_000);

        var error = Refusal.Expect(bomb, () => Read(folder.Path), "20000×20000", "400,000,000 pixels", "limit of 89,478,485", "--max-image-pixels");

        // Pillow, independently: the file is a valid 20000×20000 PNG (chunks and CRCs check), and Pillow's
        // default limit refuses it too (DecompressionBombError above twice MAX_IMAGE_PIXELS).
        string pillow = DebianPython.Run("""
            import sys
            from PIL import Image
            Image.MAX_IMAGE_PIXELS = None
            with Image.open(sys.argv[1]) as im:
                size = im.size
                im.verify()
            Image.MAX_IMAGE_PIXELS = 89478485
            try:
                Image.open(sys.argv[1])
                print(size, "accepted")
            except Image.DecompressionBombError:
                print(size, "refused")
            """, bomb);
        Assert.Equal("(20000, 20000) refused", pillow.Trim());
        Assert.DoesNotContain("cannot decode", error.Message);
    }

    [Fact]
    public void A_huge_header_over_truncated_data_is_refused_the_same_way()
    {
        using var folder = new TempFolder();
        string bomb = folder.File("cats/cut bomb.png");
        TestImages.WriteBlankPng(bomb, 20000, 20000, keepRows: 10);

        Refusal.Expect(bomb, () => Read(folder.Path), "20000×20000", "more than the limit");
    }

    [Fact]
    public void The_limit_can_be_raised_and_counts_width_times_height()
    {
        using var folder = new TempFolder();
        string path = folder.File("cats/wide.png");
        TestImages.WriteBlankPng(path, 300, 200);

        Refusal.Expect(path, () => Read(folder.Path, maxImagePixels: 59_999), "300×200", "60,000 pixels", "limit of 59,999");
        using var bytes = Open(folder.Path, maxImagePixels: 60_000).ReadBytes([0]);
        Assert.All(bytes.data<byte>().ToArray(), b => Assert.Equal(0, b));
        Assert.Throws<MilanInputException>(() => Open(folder.Path, maxImagePixels: 0));
    }

    [Fact]
    public void A_png_cut_at_any_offset_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] png = SmallPng(folder);
        string path = folder.File("cats/1.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Cuts in the signature, the header and the compressed pixels. A file that loses only its last
        // few bytes (the checksums and IEND after the final pixel) still decodes, in Pillow as in SkiaSharp.
        foreach (int cut in Refusal.CutPoints(png.Length * 3 / 4 + 1))
        {
            Refusal.WriteCut(path, png, cut);
            Refusal.Expect(path, () => Read(folder.Path), "cannot decode");
        }
    }

    [Fact]
    public void Wrong_magic_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        byte[] png = SmallPng(folder);
        png[1] = (byte)'X';   // \x89PNG -> \x89XNG
        string path = folder.File("cats/1.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, png);

        Refusal.Expect(path, () => Read(folder.Path), "cannot decode", "corrupt");
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        string good = folder.File("chats été/Ünïcode 1.png");
        TestImages.Write(good, 20, 20, (x, y) => (200, 10, 10, 255));
        using (var bytes = Open(folder.Path).ReadBytes([0])) Assert.Equal(200, bytes[0, 0, 0, 0].item<byte>());

        string broken = folder.File("chats été/Ünïcode 2.png");
        File.WriteAllBytes(broken, []);
        Refusal.Expect(broken, () => { using var _ = Open(folder.Path).ReadBytes([1]); }, "cannot decode");
    }

    [PermissionFact]
    public void An_unreadable_image_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string path = folder.File("cats/1.png");
        TestImages.Write(path, 8, 8, (x, y) => (1, 2, 3, 255));
        Refusal.MakeUnreadable(path);

        Refusal.Expect(path, () => Read(folder.Path), "cannot read");
    }
}
