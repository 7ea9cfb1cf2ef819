using System.Diagnostics;
using System.Globalization;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Models;
using Milan.Torch;
using static TorchSharp.torch;

namespace Milan.Benchmarks;

/// <summary>
/// Times one exemplar computation: a forward-only baseline over the same batches, then pass 1
/// (forward + top-k + quantile + kept maps) and pass 2 (reading images, masks, writing the layout),
/// and reports images/s and the peak resident memory (VmHWM).
/// </summary>
public static class ExemplarBenchmark
{
    public sealed record Settings(int? Size, int Images, int BatchSize, string[] Layers, bool Sheets, int? Threads)
    {
        public static Settings Parse(Arguments args) =>
            new(args.Number("--size"),
                args.Number("--images", 256),
                args.Number("--batch-size", 32),
                args.Text("--layers", "conv1,layer1,layer2,layer3,layer4").Split(','),
                !args.Flag("--no-sheets"),
                args.Number("--threads"));
    }

    public static void Run(Settings settings)
    {
        int size = settings.Size!.Value;
        TorchRuntime.EnsureInitialized(settings.Threads);
        string folder = Path.Combine(Path.GetTempPath(), "milan-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            manual_seed(0);
            using (var bytes = randint(0, 256, [settings.Images, 3, size, size], dtype: ScalarType.Byte))
                NpyImageSource.Write(Path.Combine(folder, "source"), bytes);
            using var source = new NpyImageSource(Path.Combine(folder, "source"));
            using var model = SubjectModel.Create(new ModelSpec("resnet18", 1000, size), CPU, seed: 0);
            var layers = settings.Layers.Select(l => new ExemplarLayer(l, model.ModulePath(l))).ToList();
            var options = new ExemplarOptions { BatchSize = settings.BatchSize, ContactSheets = settings.Sheets, Model = "resnet18 random" };

            string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            // Warm-up: the first forward pass of a process is slower (allocator, oneDNN kernels).
            TorchSharpSide.ForwardOnly(model, layers, new TorchSharpSide.FirstImages(source, settings.BatchSize), options);

            var forward = Measure(() => TorchSharpSide.ForwardOnly(model, layers, source, options));
            IReadOnlyList<LayerExemplars> results = [];
            var pass1 = Measure(() => results = ExemplarComputation.Compute(model, layers, source, options));
            var pass2 = Measure(() =>
            {
                foreach (var exemplars in results)
                {
                    ExemplarLayout.WriteLayer(Path.Combine(folder, "out"), exemplars, source, options, CPU);
                    exemplars.Dispose();
                }
            });

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"resnet18 {size}px, {settings.Images} images, batch {settings.BatchSize}, layers {string.Join(",", settings.Layers)}, "
                + $"threads {get_num_threads()}, sheets {(settings.Sheets ? "on" : "off")}, load average at start {load}"));
            Console.WriteLine("                          wall s    img/s   cpu s");
            Report("forward only (traced)", forward, settings.Images);
            Report("pass 1 (stats + maps)", pass1, settings.Images);
            Report($"pass 2 ({results.Sum(r => r.Units.Length)} units)", pass2, settings.Images);
            Report("whole exemplar pass", (pass1.Wall + pass2.Wall, pass1.Cpu + pass2.Cpu), settings.Images);
            Console.WriteLine($"  peak memory (VmHWM)     {PeakMemory()}");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Wall-clock and process CPU seconds of an action (CPU time is less disturbed by other processes).</summary>
    private static (double Wall, double Cpu) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        process.Refresh();
        return (watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static void Report(string what, (double Wall, double Cpu) time, int images) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-22} {time.Wall,8:F2} {images / time.Wall,8:F1} {time.Cpu,7:F2}"));

    private static string PeakMemory() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?["VmHWM:".Length..].Trim()
        ?? "unknown";
}
