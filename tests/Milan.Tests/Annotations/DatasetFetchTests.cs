using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Milan.Annotations;
using Milan.Tests.Support;

namespace Milan.Tests.Annotations;

public class DatasetFetchTests
{
    private const int Timeout = 60_000;

    /// <summary>A zip of the AlexNet-like fixture, flat like the published archives (10 files).</summary>
    internal static byte[] FixtureArchive()
    {
        using var scratch = new TempFolder();
        string folder = LayoutFixture.WriteAlexNetLike(scratch.Path);
        string zip = scratch.File("fixture.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        return File.ReadAllBytes(zip);
    }

    private static FetchOptions Options(string root, LoopbackArchiveServer server, int attempts = 1) => new()
    {
        DataRoot = root,
        BaseUrl = server.BaseUrl.ToString(),
        Download = new DownloadOptions
        {
            Attempts = attempts,
            RetryDelay = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReadTimeout = TimeSpan.FromSeconds(5),
        },
    };

    private static void AssertNothingInstalled(string root)
    {
        Assert.False(Directory.Exists(Path.Combine(root, "alexnet", "imagenet")));
        if (Directory.Exists(Path.Combine(root, "alexnet")))
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "alexnet")));
    }

    [Fact(Timeout = Timeout)]
    public async Task Downloads_checks_and_extracts_into_arch_dataset()
    {
        using var root = new TempFolder();
        byte[] archive = FixtureArchive();
        using var server = new LoopbackArchiveServer(archive);

        var result = await DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server));

        Assert.False(result.AlreadyPresent);
        Assert.Equal(Path.Combine(root.Path, "alexnet", "imagenet"), result.Folder);
        Assert.Equal(10, result.Files);
        Assert.Equal(archive.Length, result.ArchiveBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(archive)), result.Sha256);
        Assert.Equal(new string?[] { null }, server.Ranges);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root.Path, DatasetFetch.DownloadsFolder)));
        Assert.Equal(new[] { "imagenet" }, Directory.GetDirectories(Path.Combine(root.Path, "alexnet")).Select(Path.GetFileName));
        using (var dataset = TopImagesDataset.Open(DatasetKeys.Get("alexnet/imagenet", root.Path)))
            Assert.Equal(new[] { "conv2:5", "conv1:0", "conv2:9" }, dataset.Samples.Select(s => $"{s.Layer}:{s.Unit}"));

        var again = await DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server));
        Assert.True(again.AlreadyPresent);
        Assert.Equal(1, server.Requests);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_cut_connection_keeps_the_partial_file_and_the_next_run_resumes_with_a_range_request()
    {
        using var root = new TempFolder();
        byte[] archive = FixtureArchive();
        using var server = new LoopbackArchiveServer(archive) { CutAfter = archive.Length / 2, CutRequests = 1 };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server)));
        Assert.Contains($"interrupted after {archive.Length / 2} of {archive.Length} bytes", error.Message);
        Assert.Contains("run the same command again to resume", error.Message);
        Assert.Contains("the server closed the connection", error.Message);
        string part = Path.Combine(root.Path, DatasetFetch.DownloadsFolder, "alexnet-imagenet.zip.part");
        Assert.Contains($"the partial file {part} is kept", error.Message);
        Assert.Equal(archive.Length / 2, new FileInfo(part).Length);
        AssertNothingInstalled(root.Path);

        var result = await DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server));

        Assert.Equal(new[] { null, $"bytes={archive.Length / 2}-" }, server.Ranges);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(archive)), result.Sha256);
        Assert.False(File.Exists(part));
        Assert.True(File.Exists(Path.Combine(result.Folder, "conv2", "units.npy")));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_server_that_closes_before_sending_any_byte_is_reported_without_a_partial_file(bool beforeHeaders)
    {
        using var root = new TempFolder();
        byte[] archive = FixtureArchive();
        // HttpClient itself retries a request whose connection closed before the answer, so every request fails until reset.
        using var server = beforeHeaders
            ? new LoopbackArchiveServer(archive) { CloseRequests = int.MaxValue }
            : new LoopbackArchiveServer(archive) { CutAfter = 0, CutRequests = int.MaxValue };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server, attempts: 2)));

        Assert.Contains("failed before any byte of the file arrived", error.Message);
        Assert.Contains("the server closed the connection", error.Message);
        Assert.Contains("nothing was kept", error.Message);
        Assert.DoesNotContain(".part", error.Message);
        string downloads = Path.Combine(root.Path, DatasetFetch.DownloadsFolder);
        Assert.Empty(Directory.Exists(downloads) ? Directory.GetFileSystemEntries(downloads) : []);
        AssertNothingInstalled(root.Path);

        server.CloseRequests = server.CutRequests = 0;
        var result = await DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server));
        Assert.Equal(archive.Length, result.ArchiveBytes);
        Assert.Null(server.Ranges[^1]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Retries_within_one_run_resume_where_the_previous_attempt_stopped()
    {
        using var root = new TempFolder();
        byte[] archive = FixtureArchive();
        using var server = new LoopbackArchiveServer(archive) { CutAfter = 100, CutRequests = 2 };

        var result = await DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server, attempts: 3));

        Assert.Equal(new[] { null, "bytes=100-", "bytes=200-" }, server.Ranges);
        Assert.Equal(archive.Length, result.ArchiveBytes);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_declared_size_the_body_never_reaches_is_reported_and_nothing_is_installed()
    {
        using var root = new TempFolder();
        byte[] archive = FixtureArchive();
        using var server = new LoopbackArchiveServer(archive) { DeclaredLength = archive.Length + 1000 };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server, attempts: 2)));

        // First response: Content-Length says N+1000, the body stops at N. The resume asks for bytes=N-,
        // and the server answers that its file has N bytes: the sizes disagree.
        Assert.Equal(new[] { null, $"bytes={archive.Length}-" }, server.Ranges);
        Assert.Contains($"declared {archive.Length + 1000} bytes", error.Message);
        Assert.Contains($"has {archive.Length}", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root.Path, DatasetFetch.DownloadsFolder)));
        AssertNothingInstalled(root.Path);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_body_shorter_than_the_archive_fails_the_zip_check_and_the_download_is_dropped()
    {
        using var root = new TempFolder();
        byte[] archive = FixtureArchive();
        using var server = new LoopbackArchiveServer(archive) { DeclaredLength = archive.Length - 10 };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server)));

        Assert.Contains("not a readable zip archive", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root.Path, DatasetFetch.DownloadsFolder)));
        AssertNothingInstalled(root.Path);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_wrong_sha256_is_refused()
    {
        using var root = new TempFolder();
        using var server = new LoopbackArchiveServer(FixtureArchive());
        var options = Options(root.Path, server) with { Sha256 = new string('0', 64) };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", options));

        Assert.Contains($"differs from the expected {new string('0', 64)} (--sha256); the download was deleted", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root.Path, DatasetFetch.DownloadsFolder)));
        AssertNothingInstalled(root.Path);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_zip_with_an_entry_escaping_the_folder_is_refused_before_anything_is_written()
    {
        using var root = new TempFolder();
        using var server = new LoopbackArchiveServer(ZipWith(("annotations.csv", "layer,unit,summary\n"), ("../../escaped.txt", "gotcha")));

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server)));

        Assert.Contains("entry '../../escaped.txt' would be written outside the target folder", error.Message);
        Assert.Empty(Directory.GetFiles(root.Path, "escaped.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root.Path)!, "escaped.txt")));
        AssertNothingInstalled(root.Path);
    }

    [Fact(Timeout = Timeout)]
    public async Task An_archive_without_the_layout_is_refused()
    {
        using var root = new TempFolder();
        using var server = new LoopbackArchiveServer(ZipWith(("readme.txt", "hello")));

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", Options(root.Path, server)));

        Assert.Contains("does not hold the MILANNOTATIONS layout: no annotations.csv at its top level (found: readme.txt)", error.Message);
        AssertNothingInstalled(root.Path);
    }

    [Fact(Timeout = Timeout)]
    public async Task An_unreachable_host_says_so_plainly()
    {
        using var root = new TempFolder();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var options = new FetchOptions
        {
            DataRoot = root.Path,
            BaseUrl = $"http://127.0.0.1:{port}/data",
            Download = new DownloadOptions { Attempts = 2, RetryDelay = TimeSpan.Zero, ConnectTimeout = TimeSpan.FromSeconds(5) },
        };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("alexnet/imagenet", options));

        Assert.StartsWith($"cannot reach 127.0.0.1 (http://127.0.0.1:{port}/data/alexnet-imagenet.zip): ", error.Message);
        Assert.Contains("may have no internet access", error.Message);
        Assert.Contains("--archive", error.Message);
        AssertNothingInstalled(root.Path);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_missing_archive_on_the_server_is_reported()
    {
        using var root = new TempFolder();
        using var server = new LoopbackArchiveServer([]) { StatusOverride = 404 };

        var error = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("biggan/imagenet", Options(root.Path, server)));

        Assert.Equal($"{server.BaseUrl}biggan-imagenet.zip: not found on the server (HTTP 404); check the key and --base-url", error.Message);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_local_archive_replaces_an_existing_folder_only_with_force()
    {
        using var root = new TempFolder();
        string zip = root.File("copy.zip");
        File.WriteAllBytes(zip, FixtureArchive());
        string folder = Path.Combine(root.Path, "alexnet", "imagenet");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "old.txt"), "old");

        var kept = await DatasetFetch.FetchAsync("alexnet/imagenet", new FetchOptions { DataRoot = root.Path, Archive = zip });
        Assert.True(kept.AlreadyPresent);
        Assert.True(File.Exists(Path.Combine(folder, "old.txt")));

        var replaced = await DatasetFetch.FetchAsync("alexnet/imagenet", new FetchOptions { DataRoot = root.Path, Archive = zip, Force = true });
        Assert.Equal(10, replaced.Files);
        Assert.False(File.Exists(Path.Combine(folder, "old.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "annotations.csv")));
        Assert.True(File.Exists(zip)); // the user's own archive is never deleted
        Assert.Equal(new[] { "imagenet" }, Directory.GetFileSystemEntries(Path.Combine(root.Path, "alexnet")).Select(Path.GetFileName));
    }

    [Fact(Timeout = Timeout)]
    public async Task Leftovers_of_a_crashed_fetch_are_removed_but_other_folders_under_construction_are_not()
    {
        using var root = new TempFolder();
        string zip = root.File("copy.zip");
        File.WriteAllBytes(zip, FixtureArchive());
        string parent = Path.Combine(root.Path, "alexnet");
        string ours = Path.Combine(parent, $".partial-imagenet-{Guid.NewGuid():N}");
        string other = Path.Combine(parent, $".partial-imagenet-blurred-{Guid.NewGuid():N}");
        Directory.CreateDirectory(ours);
        Directory.CreateDirectory(other);

        await DatasetFetch.FetchAsync("alexnet/imagenet", new FetchOptions { DataRoot = root.Path, Archive = zip });

        Assert.False(Directory.Exists(ours));
        Assert.True(Directory.Exists(other));
    }

    [Fact]
    public async Task Keys_without_an_archive_are_refused()
    {
        using var root = new TempFolder();
        var unannotated = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("resnet18/imagenet", new FetchOptions { DataRoot = root.Path }));
        Assert.Contains("no published archive", unannotated.Message);
        var unknown = await Assert.ThrowsAsync<MilanInputException>(() => DatasetFetch.FetchAsync("base", new FetchOptions { DataRoot = root.Path }));
        Assert.Contains("not a downloadable key", unknown.Message);
    }

    internal static byte[] ZipWith(params (string Name, string Text)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write(text);
            }
        return memory.ToArray();
    }
}
