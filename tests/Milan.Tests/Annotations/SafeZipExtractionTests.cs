using System.IO.Compression;
using System.Text;
using Milan.Annotations;
using Milan.Tests.Support;

namespace Milan.Tests.Annotations;

public class SafeZipExtractionTests
{
    private static string Write(TempFolder folder, byte[] zip)
    {
        string path = folder.File("archive.zip");
        File.WriteAllBytes(path, zip);
        return path;
    }

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("layer/../../escaped.txt")]
    [InlineData("/tmp/escaped-absolute.txt")]
    [InlineData("..\\escaped.txt")]
    public void Entries_escaping_the_folder_are_refused_and_nothing_is_written(string name)
    {
        using var folder = new TempFolder();
        string archive = Write(folder, DatasetFetchTests.ZipWith(("first.txt", "fine"), (name, "gotcha")));
        string target = Path.Combine(folder.Path, "target");
        Directory.CreateDirectory(target);

        var error = Assert.Throws<MilanInputException>(() => SafeZipExtraction.Extract(archive, target));

        Assert.Equal($"{archive}: entry '{name}' would be written outside the target folder (path traversal); refusing to extract this archive", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target)); // checked before the first file is written
        Assert.False(File.Exists(Path.Combine(folder.Path, "escaped.txt")));
    }

    [Fact]
    public void Extracts_nested_entries_and_counts_files()
    {
        using var folder = new TempFolder();
        string archive = Write(folder, DatasetFetchTests.ZipWith(("annotations.csv", "a"), ("conv1/ids.csv", "1,2\n"), ("conv1/sub/x.txt", "x")));
        string target = Path.Combine(folder.Path, "target");
        Directory.CreateDirectory(target);

        Assert.Equal(3, SafeZipExtraction.Extract(archive, target));
        Assert.Equal("1,2\n", File.ReadAllText(Path.Combine(target, "conv1", "ids.csv")));
    }

    [Fact]
    public void A_corrupted_entry_fails_its_crc_check()
    {
        using var folder = new TempFolder();
        byte[] payload = Encoding.ASCII.GetBytes("MILANMILANMILANMILAN-payload-to-corrupt");
        byte[] zip;
        using (var memory = new MemoryStream())
        {
            using (var archiveWriter = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            using (var entry = archiveWriter.CreateEntry("data.bin", CompressionLevel.NoCompression).Open())
                entry.Write(payload);
            zip = memory.ToArray();
        }
        int at = zip.AsSpan().IndexOf(payload);
        Assert.True(at > 0);
        zip[at + 3] ^= 0x20; // stored (uncompressed) data: flip one bit of the content
        string archive = Write(folder, zip);
        string target = Path.Combine(folder.Path, "target");
        Directory.CreateDirectory(target);

        var error = Assert.Throws<MilanInputException>(() => SafeZipExtraction.Extract(archive, target));
        Assert.StartsWith($"{archive}: entry 'data.bin' is corrupt", error.Message);
    }

    [Fact]
    public void Duplicate_entries_and_non_zip_files_are_refused()
    {
        using var folder = new TempFolder();
        string target = Path.Combine(folder.Path, "target");
        Directory.CreateDirectory(target);

        string duplicate = Write(folder, DatasetFetchTests.ZipWith(("a.txt", "1"), ("a.txt", "2")));
        Assert.Contains("entry 'a.txt' appears more than once", Assert.Throws<MilanInputException>(() => SafeZipExtraction.Extract(duplicate, target)).Message);

        string text = folder.File("not.zip");
        File.WriteAllText(text, "<html>proxy login page</html>");
        Assert.StartsWith($"{text}: not a readable zip archive", Assert.Throws<MilanInputException>(() => SafeZipExtraction.Extract(text, target)).Message);
    }
}
