using Milan.Datasets;
using Milan.Exemplars;
using Milan.IO;
using Milan.Tests.Support;
using static TorchSharp.torch;

namespace Milan.Tests.Exemplars;

/// <summary>
/// Shards of the exemplar pass merged against the unsharded run (in process; the CLI's three-process
/// version is ExemplarShardsProcessTests in Milan.Notebooks.Tests).
/// </summary>
public class ExemplarShardsTests
{
    private static readonly ExemplarLayer[] Layers = [ExemplarLayer.Of("conv1"), new("second", "conv2")];

    private static readonly ExemplarOptions Options = new() { K = 3, BatchSize = 4, ContactSheets = true, Model = "tiny net" };

    private static string[] Shards(TempFolder folder, NpyImageSource source, int count, ExemplarOptions options)
    {
        using var net = TinyExemplarSetup.Net();
        return Enumerable.Range(0, count).Select(i =>
        {
            string shard = folder.File($"shard-{i}");
            Assert.True(ExemplarShards.Compute(net, Layers, source, new ShardSlice(i, count), shard, options));
            return shard;
        }).ToArray();
    }

    /// <summary>Every file under a folder, by relative path, with its bytes.</summary>
    internal static SortedDictionary<string, byte[]> Files(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);

    [Theory]
    [InlineData(3)]
    [InlineData(8)]       // more shards than the 6 batches: two shards hold no images
    public void Merged_shards_are_the_unsharded_run_byte_for_byte(int shardCount)
    {
        using var folder = new TempFolder();
        TinyExemplarSetup.WriteSource(folder.File("source"), 23);
        using var source = new NpyImageSource(folder.File("source"));
        using (var net = TinyExemplarSetup.Net())
            ExemplarComputation.Run(net, Layers, source, folder.File("whole"), Options);

        var shards = Shards(folder, source, shardCount, Options);
        // Any order of the folders: the merge orders them by shard.
        var run = ExemplarShards.Merge(shards.Reverse().ToList(), source, folder.File("merged"), contactSheets: true, CPU);

        Assert.Equal(["conv1", "second"], run.Written);
        var expected = Files(folder.File("whole"));
        var actual = Files(folder.File("merged"));
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (file, bytes) in expected)
            if (Path.GetFileName(file) != StageSeal.FileName)
                Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} differs");
        // The seals record modification times, which differ between the runs; their files' sizes and hashes do not.
        foreach (var layer in new[] { "conv1", "second" })
            Assert.Equal(SealedContent(folder.File("whole"), layer), SealedContent(folder.File("merged"), layer));
    }

    private static string[] SealedContent(string run, string layer) =>
        StageSeal.Read(Path.Combine(run, layer))!.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key} {e.Value.Size} {e.Value.Hash}").ToArray();

    [Fact]
    public void Slices_follow_the_batches_and_cover_the_source_once()
    {
        // 23 images in batches of 4 are 6 batches; three shards get two each.
        Assert.Equal((0, 8), new ShardSlice(0, 3).Images(23, 4));
        Assert.Equal((8, 16), new ShardSlice(1, 3).Images(23, 4));
        Assert.Equal((16, 23), new ShardSlice(2, 3).Images(23, 4));
        var eight = Enumerable.Range(0, 8).Select(i => new ShardSlice(i, 8).Images(23, 4)).ToList();
        Assert.Equal(0, eight[0].First);
        Assert.Equal(23, eight[^1].End);
        for (int i = 1; i < 8; i++) Assert.Equal(eight[i - 1].End, eight[i].First);
        Assert.Equal(2, eight.Count(s => s.First == s.End));
        Assert.Equal(new ShardSlice(2, 5), ShardSlice.Parse("2/5"));
        foreach (var bad in new[] { "5/5", "1", "-1/3", "a/b", "1/0" })
            Assert.Contains("--shard", Assert.Throws<MilanInputException>(() => ShardSlice.Parse(bad)).Message);
    }

    [Fact]
    public void Merge_refuses_a_missing_shard_and_a_shard_of_another_run()
    {
        using var folder = new TempFolder();
        TinyExemplarSetup.WriteSource(folder.File("source"), 12);
        using var source = new NpyImageSource(folder.File("source"));
        var shards = Shards(folder, source, 3, Options);

        var missing = Assert.Throws<MilanInputException>(() => ExemplarShards.Merge(shards[..2], source, folder.File("out"), false, CPU));
        Assert.Contains("2/3 missing", missing.Message);

        string other = folder.File("other");
        using (var net = TinyExemplarSetup.Net())
            ExemplarShards.Compute(net, Layers, source, new ShardSlice(2, 3), other, Options with { K = 2 });
        var foreign = Assert.Throws<MilanInputException>(() => ExemplarShards.Merge([shards[0], shards[1], other], source, folder.File("out"), false, CPU));
        Assert.Contains(Path.Combine(other, ExemplarShardManifest.FileName), foreign.Message);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public void A_retried_shard_is_kept_and_one_of_another_run_is_refused()
    {
        using var folder = new TempFolder();
        TinyExemplarSetup.WriteSource(folder.File("source"), 12);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = TinyExemplarSetup.Net();
        string shard = folder.File("shard");
        Assert.True(ExemplarShards.Compute(net, Layers, source, new ShardSlice(1, 2), shard, Options));
        Assert.False(ExemplarShards.Compute(net, Layers, source, new ShardSlice(1, 2), shard, Options));
        Assert.Throws<MilanInputException>(() => ExemplarShards.Compute(net, Layers, source, new ShardSlice(0, 2), shard, Options));
    }

    [Fact]
    public void Sketched_shards_merge_to_the_same_top_k_and_record_their_error_bound()
    {
        using var folder = new TempFolder();
        TinyExemplarSetup.WriteSource(folder.File("source"), 40);
        using var source = new NpyImageSource(folder.File("source"));
        var options = Options with { QuantileMethod = QuantileMethod.Sketch, SketchCapacity = 8, ContactSheets = false };
        var shards = Shards(folder, source, 3, options);
        ExemplarShards.Merge(shards, source, folder.File("merged"), contactSheets: false, CPU);

        using var net = TinyExemplarSetup.Net();
        var expected = TinyExemplarSetup.BruteForce(net, "conv1", source, 3, 0.99);
        var merged = ExemplarManifest.Read(folder.File("merged"))!.Layers["conv1"];
        Assert.Equal("sketch", merged.QuantileMethod);
        Assert.True(merged.QuantileRankError > 0);
        var ids = TinyExemplarSetup.ReadCsv(Path.Combine(folder.File("merged"), "conv1", ExemplarLayout.IdsFile));
        for (int u = 0; u < ids.Length; u++) Assert.Equal(expected.Ids[u], ids[u].Select(long.Parse).ToArray());
    }
}
