using System.Text;
using System.Text.Json.Nodes;
using Milan.Notebooks.Tests.Support;

namespace Milan.Notebooks.Tests.Cli;

/// <summary>
/// `milan exemplars --shard i/n` in three separate processes, started as Slurm starts the tasks of a job
/// array (the template tools/sharding/exemplars-array.sbatch with SLURM_ARRAY_TASK_ID set), then the
/// merge template, against one unsharded `milan exemplars` run: the two output folders are the same,
/// file for file and byte for byte (exemplars.json, ids, activations, images, masks, PNG contact sheets).
/// </summary>
public sealed class ExemplarShardsProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static ProcessResult Milan(params string[] arguments) => ProcessResult.Run(Tools.DotNet, [Tools.CliAssembly, .. arguments]);

    [Fact]
    public void Three_shards_in_three_processes_merge_to_the_unsharded_run_byte_for_byte()
    {
        string images = _folder.File("images");
        WriteRandomImages(images, count: 20, size: 32);
        string[] Run(string output, params string[] more) =>
            ["exemplars", "--model", "random", "--arch", "resnet18", "--seed", "3", "--images", images, "--out", output,
             "--layers", "conv1", "layer2", "--k", "4", "--batch-size", "5", "--device", "cpu", .. more];

        var whole = Milan(Run(_folder.File("whole")));
        Assert.True(whole.ExitCode == 0, whole.Output);
        string milan = _folder.File("milan");
        File.WriteAllText(milan, $"#!/bin/sh\nexec '{Tools.DotNet}' '{Tools.CliAssembly}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(milan, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string>
        {
            ["MILAN"] = milan,
            ["MODEL"] = "random",
            ["IMAGES"] = images,
            ["WORK"] = _folder.File("work"),
            ["OUT"] = _folder.File("merged"),
            ["DEVICE"] = "cpu",
            ["EXEMPLAR_OPTIONS"] = "--arch resnet18 --seed 3 --layers conv1 layer2 --k 4 --batch-size 5",
            ["SLURM_ARRAY_TASK_MAX"] = "2",
        };
        string templates = Path.Combine(Tools.Repository, "tools", "sharding");
        foreach (int task in new[] { 2, 0, 1 })
        {
            var shard = ProcessResult.Run("/bin/bash", [Path.Combine(templates, "exemplars-array.sbatch")], _folder.Path,
                                          new Dictionary<string, string>(environment) { ["SLURM_ARRAY_TASK_ID"] = $"{task}" });
            Assert.True(shard.ExitCode == 0, shard.Output);
        }
        var merge = ProcessResult.Run("/bin/bash", [Path.Combine(templates, "exemplars-merge.sbatch")], _folder.Path, environment);
        Assert.True(merge.ExitCode == 0, merge.Output);
        Assert.Contains("merged 3 shard(s)", merge.Output);

        var expected = Files(_folder.File("whole"));
        var actual = Files(_folder.File("merged"));
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.Contains(Path.Combine("conv1", "sheets", "unit_0000.png"), expected.Keys);
        foreach (var (file, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[file]), $"{file} differs");
    }

    /// <summary>
    /// Every file's bytes; a stage seal (.milan-seal.json) without its modification times, which differ
    /// between two runs while the sizes and content hashes it records must not.
    /// </summary>
    private static SortedDictionary<string, byte[]> Files(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f), Comparable), StringComparer.Ordinal);

    private static byte[] Comparable(string file)
    {
        if (Path.GetFileName(file) != ".milan-seal.json") return File.ReadAllBytes(file);
        var seal = JsonNode.Parse(File.ReadAllText(file))!;
        foreach (var (_, entry) in seal["files"]!.AsObject()) entry!.AsObject().Remove("modified");
        return Encoding.UTF8.GetBytes(seal.ToJsonString());
    }

    /// <summary>An npy image source (images.npy, uint8 (count, 3, size, size), numpy format 1.0) of seeded random bytes.</summary>
    private static void WriteRandomImages(string folder, int count, int size)
    {
        Directory.CreateDirectory(folder);
        string header = $"{{'descr': '|u1', 'fortran_order': False, 'shape': ({count}, 3, {size}, {size}), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        var pixels = new byte[count * 3 * size * size];
        new Random(7).NextBytes(pixels);
        using var file = File.Create(Path.Combine(folder, "images.npy"));
        file.Write([0x93, .. "NUMPY"u8, 1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8)]);
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(pixels);
    }

    public void Dispose() => _folder.Dispose();
}
