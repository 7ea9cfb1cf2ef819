using System.Diagnostics;
using Milan.Corpus;
using Milan.IO;
using Milan.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Milan.Tests.Corpus;

/// <summary>
/// A finished world corpus is checked, not trusted, and can move: each test copies the shared tiny
/// corpus to a new place (new paths and new modification times, as `cp -r` gives), then damages the
/// copy or just uses it.
/// </summary>
[Collection(TinyCorpusCollection.Name)]
public sealed class FinishedCorpusTests(TinyCorpus corpus)
{
    private sealed class Copy : IDisposable
    {
        private readonly TempFolder _folder = new();
        public string DataRoot => Path.Combine(_folder.Path, "moved data");
        public string ModelsRoot => Path.Combine(_folder.Path, "moved models");

        public Copy(TinyCorpus corpus)
        {
            CopyTree(corpus.DataRoot, DataRoot);
            CopyTree(corpus.ModelsRoot, ModelsRoot);
        }

        public string Data(string relative) => Path.Combine(DataRoot, relative);
        public string Models(string relative) => Path.Combine(ModelsRoot, relative);

        public void Dispose() => _folder.Dispose();
    }

    /// <summary>Copies every file, giving each a modification time the original never had.</summary>
    private static void CopyTree(string from, string to)
    {
        var later = DateTime.UtcNow.AddDays(1);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, later);
        }
    }

    /// <summary>The content hash of every file under a root except the seals, by relative path.</summary>
    private static Dictionary<string, string> Contents(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != StageSeal.FileName)
            .ToDictionary(f => Path.GetRelativePath(root, f), StageSeal.Hash);

    private WorldCorpusResult Build(Copy copy, SealCheck verify = SealCheck.Fast) =>
        WorldCorpus.Build(corpus.Settings, copy.DataRoot, copy.ModelsRoot, CPU, verify: verify);

    private static IEnumerable<WorldCorpusTiming> Rebuilt(WorldCorpusResult result) => result.Timings.Where(t => !t.Skipped);

    [Fact]
    public async Task A_copied_corpus_pointed_at_by_the_environment_is_used_as_is()
    {
        using var copy = new Copy(corpus);
        var data = Contents(copy.DataRoot);
        var models = Contents(copy.ModelsRoot);

        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Milan.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "milannotations", "build", "--profile", "tiny", "--device", "cpu" }) start.ArgumentList.Add(argument);
        start.Environment["MILAN_DATA_DIR"] = copy.DataRoot;
        start.Environment["MILAN_MODELS_DIR"] = copy.ModelsRoot;
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10))) await process.WaitForExitAsync(limit.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await output} {await errors}");
        Assert.DoesNotContain("rebuilt", await output);
        Assert.Equal(data, Contents(copy.DataRoot));
        Assert.Equal(models, Contents(copy.ModelsRoot));
        Assert.True(Build(copy).AllSkipped);
    }

    [Fact]
    public void A_deleted_file_of_a_world_split_is_noticed_and_the_split_made_again_with_the_same_bytes()
    {
        using var copy = new Copy(corpus);
        string images = copy.Data("world/a/normal/val/images.npy");
        string original = StageSeal.Hash(images);
        File.Delete(images);

        var result = Build(copy);

        var rebuilt = Assert.Single(Rebuilt(result));
        Assert.Equal((WorldCorpusStage.Worlds, "world/a/normal"), (rebuilt.Stage, rebuilt.Item));
        Assert.Contains($"{images}: missing", rebuilt.Repaired);
        Assert.Equal(original, StageSeal.Hash(images));
    }

    [Fact]
    public void A_changed_exemplar_file_rebuilds_that_layer_and_what_depends_on_it_only_if_its_bytes_differ()
    {
        using var copy = new Copy(corpus);
        string masks = Path.Combine(copy.Data("resnet18/world-b"), "layer2", "masks.npy");
        string original = StageSeal.Hash(masks);
        var bytes = File.ReadAllBytes(masks);
        bytes[^1] ^= 1;
        File.WriteAllBytes(masks, bytes);

        var result = Build(copy);

        var rebuilt = Assert.Single(Rebuilt(result));
        Assert.Equal((WorldCorpusStage.Exemplars, "resnet18/world-b"), (rebuilt.Stage, rebuilt.Item));
        Assert.Contains($"{masks}: content changed", rebuilt.Repaired);
        Assert.Equal(original, StageSeal.Hash(masks));
    }

    [Fact]
    public void A_truncated_weights_file_retrains_that_subject()
    {
        using var copy = new Copy(corpus);
        string weights = copy.Models($"subjects/{WorldCorpusSettings.EncoderName}/weights.safetensors");
        long size = new FileInfo(weights).Length;
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..1000]);

        var result = Build(copy);

        var rebuilt = Assert.Single(Rebuilt(result));
        Assert.Equal((WorldCorpusStage.Subjects, WorldCorpusSettings.EncoderName), (rebuilt.Stage, rebuilt.Item));
        Assert.Contains($"{weights}: 1000 bytes, {size} when written", rebuilt.Repaired);
        Assert.Equal(size, new FileInfo(weights).Length);
    }

    [Fact]
    public void Changed_annotations_are_made_again()
    {
        using var copy = new Copy(corpus);
        string csv = copy.Data("alexnet/world-a/" + WorldCorpus.AnnotationsFile);
        string original = StageSeal.Hash(csv);
        File.AppendAllText(csv, "conv1,0,a line nobody wrote\n");

        var result = Build(copy);

        var rebuilt = Assert.Single(Rebuilt(result));
        Assert.Equal((WorldCorpusStage.Annotations, "alexnet/world-a"), (rebuilt.Stage, rebuilt.Item));
        Assert.Contains($"{csv}: ", rebuilt.Repaired);
        Assert.Equal(original, StageSeal.Hash(csv));
    }

    [Fact]
    public void A_changed_world_manifest_stops_the_build_naming_it()
    {
        using var copy = new Copy(corpus);
        string manifest = copy.Data("world/b/normal/manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"seed\": 1", "\"seed\": 2"));

        var error = Assert.Throws<MilanInputException>(() => Build(copy));

        Assert.StartsWith($"{manifest}: content changed", error.Message);
        Assert.Contains("--force-stage worlds", error.Message);
    }

    [Fact]
    public void A_change_that_keeps_size_and_time_passes_the_fast_check_and_not_the_full_one()
    {
        using var copy = new Copy(corpus);
        Assert.True(Build(copy).AllSkipped);   // records the copy's modification times
        string ids = Path.Combine(copy.Data("resnet18/world-a-spurious-text"), "layer1", "ids.csv");
        var time = File.GetLastWriteTimeUtc(ids);
        string text = File.ReadAllText(ids);
        File.WriteAllText(ids, (text[0] == '1' ? "2" : "1") + text[1..]);
        File.SetLastWriteTimeUtc(ids, time);

        Assert.True(Build(copy, SealCheck.Fast).AllSkipped);
        var rebuilt = Rebuilt(Build(copy, SealCheck.Full)).First();
        Assert.Equal((WorldCorpusStage.Exemplars, "resnet18/world-a-spurious-text"), (rebuilt.Stage, rebuilt.Item));
        Assert.Contains($"{ids}: content changed", rebuilt.Repaired);
    }
}
