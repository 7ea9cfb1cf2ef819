using System.Globalization;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Tests.Support;
using static Milan.Tests.Exemplars.TinyExemplarSetup;
using static TorchSharp.torch;

namespace Milan.Tests.Exemplars;

public class ExemplarComputationTests
{
    private static readonly string[] Layers = ["conv1", "conv2"];

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    public void The_written_layout_equals_a_brute_force_computation(int outputSize)
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 40);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        var options = new ExemplarOptions { K = 5, BatchSize = 7, OutputSize = outputSize, Model = "tiny" };
        string output = folder.File("out");

        var run = ExemplarComputation.Run(net, Layers, source, output, options);

        Assert.Equal(Layers, run.Written);
        using var allImages = source.ReadBytes(Enumerable.Range(0, 40).ToArray());
        foreach (var layer in Layers)
        {
            var expected = BruteForce(net, layer, source, 5, 0.99);
            int units = expected.Ids.Length;
            string dir = Path.Combine(output, layer);

            var ids = ReadCsv(Path.Combine(dir, ExemplarLayout.IdsFile));
            var activations = ReadCsv(Path.Combine(dir, ExemplarLayout.ActivationsFile));
            Assert.Equal(units, ids.Length);
            for (int u = 0; u < units; u++)
            {
                Assert.Equal(expected.Ids[u], ids[u].Select(long.Parse).ToArray());
                Assert.Equal(expected.Activations[u].Select(ExemplarLayout.FormatActivation), activations[u]);
            }

            using var images = Npy.ReadTensor(Path.Combine(dir, ExemplarLayout.ImagesFile));
            using var masks = Npy.ReadTensor(Path.Combine(dir, ExemplarLayout.MasksFile));
            Assert.Equal(new long[] { units, 5, 3, outputSize, outputSize }, images.shape);
            Assert.Equal(new long[] { units, 5, 1, outputSize, outputSize }, masks.shape);
            Assert.Equal(ScalarType.Byte, masks.dtype);
            Assert.False(File.Exists(Path.Combine(dir, ExemplarLayout.UnitsFile)));

            int ambiguous = 0;
            for (int u = 0; u < units; u++)
            {
                for (int r = 0; r < 5; r++)
                {
                    using var expectedImage = NearestResize(allImages[expected.Ids[u][r]], outputSize);
                    Assert.True(images[u, r].equal(expectedImage).all().item<bool>(), $"{layer} unit {u} rank {r}: image differs");
                    var upsampled = MaskUpsamplingTests.ByFormula(expected.Maps[u][r], outputSize);
                    var mask = masks[u, r, 0].data<byte>().ToArray();
                    for (int i = 0; i < outputSize * outputSize; i++)
                    {
                        double value = upsampled[i / outputSize, i % outputSize];
                        if (Math.Abs(value - expected.Levels[u]) < 1e-5) { ambiguous++; continue; }
                        Assert.Equal(value > expected.Levels[u] ? 1 : 0, mask[i]);
                    }
                }
            }
            Assert.True(ambiguous < 5, $"{ambiguous} pixels too close to the threshold to compare");
            Assert.True(masks.sum().item<long>() > 0, "some exemplar pixels should exceed the 0.99 quantile");
            Assert.Equal(units, Directory.GetFiles(Path.Combine(dir, ExemplarLayout.SheetsFolder), "unit_*.png").Length);
        }

        var manifest = ExemplarManifest.Read(output)!;
        Assert.Equal(Layers, manifest.Layers.Keys);
        Assert.Equal(new long[] { 8, 8 }, manifest.Layers["conv1"].FeatureMap);
        Assert.Equal("exact", manifest.Layers["conv2"].QuantileMethod);
        Assert.Equal(5, manifest.Settings.K);
        Assert.Equal(outputSize, manifest.Settings.OutputSize);
    }

    [Fact]
    public void In_memory_thresholds_match_sorting_everything_for_exact_and_below_capacity_sketch()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 30);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        var expected = BruteForce(net, "conv2", source, 15, 0.99);

        var exact = ExemplarComputation.Compute(net, ["conv2"], source, new ExemplarOptions { BatchSize = 4 });
        Assert.Equal(expected.Levels, exact[0].Levels.data<float>().ToArray());
        Assert.Equal(QuantileMethod.Exact, exact[0].QuantileMethod);

        // 30 images × 16 positions is below the sketch's capacity: it reads the exact Hazen position.
        var sketch = ExemplarComputation.Compute(net, ["conv2"], source,
            new ExemplarOptions { BatchSize = 4, QuantileMethod = QuantileMethod.Sketch, QuantilePosition = Milan.Stats.QuantilePosition.Hazen });
        using var hazenExact = ExemplarComputation.Compute(net, ["conv2"], source,
            new ExemplarOptions { BatchSize = 4, QuantilePosition = Milan.Stats.QuantilePosition.Hazen })[0];
        Assert.Equal(QuantileMethod.Sketch, sketch[0].QuantileMethod);
        var fromSketch = sketch[0].Levels.data<float>().ToArray();
        var fromExact = hazenExact.Levels.data<float>().ToArray();
        for (int u = 0; u < fromSketch.Length; u++) Assert.Equal(fromExact[u], fromSketch[u], 5);
        exact[0].Dispose();
        sketch[0].Dispose();
    }

    [Fact]
    public void A_unit_subset_keeps_the_first_units_and_writes_units_npy()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 20);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        string output = folder.File("out");
        ExemplarComputation.Run(net, ["conv1"], source, output,
            new ExemplarOptions { K = 3, Units = 2, ContactSheets = false });

        var expected = BruteForce(net, "conv1", source, 3, 0.99);
        string dir = Path.Combine(output, "conv1");
        Assert.Equal(new long[] { 0, 1 }, Npy.ReadInt64(Path.Combine(dir, ExemplarLayout.UnitsFile), out _));
        var ids = ReadCsv(Path.Combine(dir, ExemplarLayout.IdsFile));
        Assert.Equal(2, ids.Length);
        Assert.Equal(expected.Ids[1], ids[1].Select(long.Parse).ToArray());
        Assert.Equal(new long[] { 2, 3, 1, 16, 16 }, Npy.ReadHeader(Path.Combine(dir, ExemplarLayout.MasksFile)).Shape);
        Assert.False(Directory.Exists(Path.Combine(dir, ExemplarLayout.SheetsFolder)));

        // The MILANNOTATIONS reader accepts the layout as written.
        using var layer = Milan.Annotations.TopImagesLayer.Open(dir, "conv1");
        Assert.Equal([0, 1], layer.Units);
        Assert.Equal(expected.Ids[1].Select(i => (int)i), layer.ImageIds(1)!);
        Assert.Equal(expected.Activations[1].Select(v => float.Parse(ExemplarLayout.FormatActivation(v), CultureInfo.InvariantCulture)), layer.Activations(1)!);
        using var masks = Npy.ReadTensor(Path.Combine(dir, ExemplarLayout.MasksFile));
        using var unitMasks = layer.ReadMasks(1);
        Assert.True(unitMasks.equal(masks[1]).all().item<bool>());
        using var images = layer.ReadImages(0);
        using var expectedImages = source.ReadBytes(expected.Ids[0].Select(i => (int)i).ToArray());
        Assert.True(images.equal(expectedImages).all().item<bool>());
    }

    [Fact]
    public void A_layer_name_can_differ_from_its_module_path()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 20);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        string output = folder.File("out");
        ExemplarComputation.Run(net, [new ExemplarLayer("second", "conv2")], source, output,
            new ExemplarOptions { K = 3, ContactSheets = false });

        var expected = BruteForce(net, "conv2", source, 3, 0.99);
        var ids = ReadCsv(Path.Combine(output, "second", ExemplarLayout.IdsFile));
        Assert.Equal(expected.Ids.Select(row => row.Select(i => i.ToString()).ToArray()).ToArray(), ids);
        Assert.False(Directory.Exists(Path.Combine(output, "conv2")));
        Assert.Equal(["second"], ExemplarManifest.Read(output)!.Layers.Keys);
    }

    [Fact]
    public void A_finished_layer_is_skipped_on_rerun_and_a_missing_one_is_added()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 20);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        string output = folder.File("out");
        var options = new ExemplarOptions { K = 3, ContactSheets = false };
        ExemplarComputation.Run(net, ["conv1"], source, output, options);
        string ids = Path.Combine(output, "conv1", ExemplarLayout.IdsFile);
        var written = File.GetLastWriteTimeUtc(ids);
        File.SetLastWriteTimeUtc(ids, written.AddDays(-1));   // a re-run that rewrote the layer would give it a new time

        var reports = new List<WorkProgress>();
        var run = ExemplarComputation.Run(net, ["conv1", "conv2"], source, output, options, new SyncProgress(reports.Add));

        Assert.Equal(["conv1"], run.Skipped);
        Assert.Equal(["conv2"], run.Written);
        Assert.Equal(written.AddDays(-1), File.GetLastWriteTimeUtc(ids));
        Assert.Contains(reports, r => r.Task.Contains("conv1") && r.Detail is not null && r.Detail.Contains("skipped"));
        Assert.Contains(reports, r => r.Task.Contains("pass 1") && r.Done == 20);
        Assert.Equal(["conv1", "conv2"], ExemplarManifest.Read(output)!.Layers.Keys);

        // A layer whose file changed after it was written is computed again, with the same bytes.
        string original = File.ReadAllText(ids);
        File.WriteAllText(ids, "marker\n");
        reports.Clear();
        var again = ExemplarComputation.Run(net, ["conv1", "conv2"], source, output, options, new SyncProgress(reports.Add));
        Assert.Equal(["conv1"], again.Written);
        Assert.Equal(["conv2"], again.Skipped);
        Assert.Equal(original, File.ReadAllText(ids));
        Assert.Contains(reports, r => r.Detail is not null && r.Detail.Contains($"{ids}: 7 bytes, {original.Length} when written"));
    }

    [Fact]
    public void A_failure_while_writing_a_layer_leaves_no_layer_folder()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 20);
        using var inner = new NpyImageSource(folder.File("source"));
        // Pass 1 reads 3 batches of 8; the failure hits pass 2 of the first layer, after some files exist.
        var source = new FailingSource(inner, failOnCall: 4);
        using var net = Net();
        string output = folder.File("out");

        var error = Assert.Throws<IOException>(() =>
            ExemplarComputation.Run(net, Layers, source, output, new ExemplarOptions { K = 3, BatchSize = 8 }));

        Assert.Contains("disk gone", error.Message);
        Assert.False(Directory.Exists(output));   // the output folder made for the layer is removed with it
        Assert.Null(ExemplarManifest.Read(output));
    }

    [Fact]
    public void A_folder_made_with_other_settings_is_refused()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 20);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        string output = folder.File("out");
        ExemplarComputation.Run(net, ["conv1"], source, output, new ExemplarOptions { K = 3, ContactSheets = false });

        var error = Assert.Throws<MilanInputException>(() =>
            ExemplarComputation.Run(net, ["conv2"], source, output, new ExemplarOptions { K = 4, ContactSheets = false }));

        Assert.Contains("exemplars.json", error.Message);
        Assert.Contains("k 3 -> 4", error.Message);
        Assert.False(Directory.Exists(Path.Combine(output, "conv2")));
    }

    [Fact]
    public void Bad_requests_are_input_errors_that_name_the_problem()
    {
        using var folder = new TempFolder();
        WriteSource(folder.File("source"), 10);
        using var source = new NpyImageSource(folder.File("source"));
        using var net = Net();
        string output = folder.File("out");

        Assert.Contains("layer9", Assert.Throws<MilanInputException>(() =>
            ExemplarComputation.Run(net, ["layer9"], source, output, new ExemplarOptions { K = 3 })).Message);
        Assert.Contains("only 10 images", Assert.Throws<MilanInputException>(() =>
            ExemplarComputation.Run(net, ["conv1"], source, output, new ExemplarOptions { K = 15 })).Message);
        Assert.Contains("only 4 units", Assert.Throws<MilanInputException>(() =>
            ExemplarComputation.Run(net, ["conv2"], source, output, new ExemplarOptions { K = 3, Units = 9 })).Message);
        Assert.Contains("listed twice", Assert.Throws<MilanInputException>(() =>
            ExemplarComputation.Run(net, ["conv1", "conv1"], source, output, new ExemplarOptions { K = 3 })).Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Activations_are_formatted_as_numpy_percent_5e()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 300).Select(i => (float)((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-12, 12))))
            .Concat([0f, -0f, 1f, 1e-30f, 123456.5f, 9.999995e-5f]).ToArray();
        string output = DebianPython.Run(
            "import sys, numpy as np\n"
            + "for v in np.array([float(s) for s in sys.argv[1:]], dtype=np.float32): print('%.5e' % v)\n",
            values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray());
        Assert.Equal(output.Trim().Split('\n'), values.Select(ExemplarLayout.FormatActivation).ToArray());
    }

    private static Tensor NearestResize(Tensor image, int size) =>
        image.shape[^1] == size
            ? image.clone()
            : nn.functional.interpolate(image.unsqueeze(0).to(ScalarType.Float32), [size, size], mode: InterpolationMode.Nearest)
                .to(ScalarType.Byte).squeeze(0);

    private sealed class SyncProgress(Action<WorkProgress> report) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => report(value);
    }

    /// <summary>An image source whose n-th read fails like a vanishing disk.</summary>
    private sealed class FailingSource(IImageSource inner, int failOnCall) : IImageSource
    {
        private int _calls;
        public string Description => inner.Description;
        public int Count => inner.Count;
        public int ImageSize => inner.ImageSize;
        public IReadOnlyList<string> ClassNames => inner.ClassNames;
        public long Label(int index) => inner.Label(index);

        public Tensor ReadBytes(IReadOnlyList<int> indices) =>
            ++_calls == failOnCall ? throw new IOException("disk gone") : inner.ReadBytes(indices);
    }
}
