using System.IO.Compression;
using System.Text;
using Milan.Annotations;
using Milan.Tests.Annotations;
using Milan.Tests.Support;

namespace Milan.Tests.BadInput;

/// <summary>
/// Bad zip archives installed with <c>milan data fetch --archive</c> (<see cref="DatasetFetch"/> over
/// <see cref="SafeZipExtraction"/>): each is refused naming the archive, and the data root is left as it was.
/// </summary>
public class ZipBadInputTests
{
    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(content);
            }
        return memory.ToArray();
    }

    /// <summary>Installs <paramref name="archive"/> as alexnet/imagenet under <paramref name="root"/>, expecting a refusal naming it.</summary>
    private static Task<MilanInputException> Refused(string root, string archive, params string[] what) =>
        Refusal.ExpectUnderAsync(root, archive, () => DatasetFetch.FetchAsync("alexnet/imagenet", new FetchOptions { DataRoot = root, Archive = archive }), what);

    [Fact]
    public async Task An_archive_cut_at_any_offset_is_refused_and_nothing_is_installed()
    {
        using var folder = new TempFolder();
        byte[] zip = DatasetFetchTests.FixtureArchive();
        foreach (int cut in Refusal.CutPoints(zip.Length))
        {
            string archive = Refusal.Write(folder, "cut.zip", zip[..cut]);
            await Refused(folder.Path, archive, "not a readable zip archive");
        }
    }

    [Fact]
    public async Task Something_that_is_not_a_zip_is_refused()
    {
        using var folder = new TempFolder();
        string page = Refusal.Write(folder, "archive.zip", Encoding.ASCII.GetBytes("<html>proxy login</html>"));
        await Refused(folder.Path, page, "not a readable zip archive");
        string empty = Refusal.Write(folder, "empty.zip", []);
        await Refused(folder.Path, empty, "not a readable zip archive");
    }

    [Fact]
    public async Task A_flipped_byte_in_an_entry_fails_its_crc_and_nothing_is_installed()
    {
        using var folder = new TempFolder();
        byte[] payload = Encoding.ASCII.GetBytes(new string('m', 64));
        byte[] zip = Zip(("annotations.csv", Encoding.ASCII.GetBytes(LayoutFixture.AnnotationsCsv)), ("data.bin", payload));
        int at = IndexOf(zip, payload) + 10;
        zip[at] ^= 0x20;
        string archive = Refusal.Write(folder, "flipped.zip", zip);
        await Refused(folder.Path, archive, "entry 'data.bin' is corrupt");
    }

    [Fact]
    public async Task An_entry_declaring_a_huge_size_is_refused()
    {
        using var folder = new TempFolder();
        byte[] zip = Zip(("annotations.csv", Encoding.ASCII.GetBytes(LayoutFixture.AnnotationsCsv)));
        // The central directory's uncompressed size (offset 24 of its file header, signature PK\1\2) set to 4 GB
        // (not 0xFFFFFFFF, which means "see the ZIP64 field").
        int central = IndexOf(zip, [0x50, 0x4B, 0x01, 0x02]);
        BitConverter.GetBytes(4_000_000_000u).CopyTo(zip, central + 24);
        string archive = Refusal.Write(folder, "huge.zip", zip);
        await Refused(folder.Path, archive, "annotations.csv");
    }

    [Theory]
    [InlineData("../escape.txt", "outside the target folder")]
    [InlineData("/etc/escape.txt", "outside the target folder")]
    [InlineData("conv1/../../escape.txt", "outside the target folder")]
    public async Task Entries_escaping_the_folder_are_refused_before_anything_is_written(string name, string what)
    {
        using var folder = new TempFolder();
        string archive = Refusal.Write(folder, "slip.zip", Zip(("annotations.csv", Encoding.ASCII.GetBytes(LayoutFixture.AnnotationsCsv)), (name, "x"u8.ToArray())));
        await Refused(folder.Path, archive, what);
    }

    [Fact]
    public async Task Duplicate_entries_and_a_missing_layout_are_refused()
    {
        using var folder = new TempFolder();
        byte[] csv = Encoding.ASCII.GetBytes(LayoutFixture.AnnotationsCsv);
        string twice = Refusal.Write(folder, "twice.zip", Zip(("annotations.csv", csv), ("annotations.csv", csv)));
        await Refused(folder.Path, twice, "appears more than once");
        string other = Refusal.Write(folder, "other.zip", Zip(("readme.txt", "hello"u8.ToArray())));
        await Refused(folder.Path, other, "does not hold the MILANNOTATIONS layout");
    }

    [Fact]
    public async Task A_folder_given_as_the_archive_is_refused()
    {
        using var folder = new TempFolder();
        string archive = folder.File("archive.zip");
        Directory.CreateDirectory(archive);
        await Refused(folder.Path, archive, "is a folder");
    }

    [Fact]
    public async Task Spaces_and_non_ascii_names_install_and_are_named_when_broken()
    {
        using var folder = new TempFolder();
        string good = Refusal.Write(folder, "archives téléchargées/alexnet imagenet ß.zip", DatasetFetchTests.FixtureArchive());
        var result = await DatasetFetch.FetchAsync("alexnet/imagenet", new FetchOptions { DataRoot = folder.File("data"), Archive = good });
        Assert.Equal(10, result.Files);

        string broken = Refusal.Write(folder, "archives téléchargées/alexnet imagenet ø.zip", DatasetFetchTests.FixtureArchive()[..100]);
        await Refused(folder.File("other data"), broken, "not a readable zip archive");
    }

    [PermissionFact]
    public async Task An_unreadable_archive_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string archive = Refusal.Write(folder, "archive.zip", DatasetFetchTests.FixtureArchive());
        Refusal.MakeUnreadable(archive);
        await Refused(folder.Path, archive, "permission denied");
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("pattern not found");
    }
}
