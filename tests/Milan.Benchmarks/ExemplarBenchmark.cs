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
        public static Settings Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            int? Number(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
            return new Settings(
                Number("--size"),
                Number("--images") ?? 256,
                Number("--batch-size") ?? 32,
                (Value("--layers") ?? "conv1,layer1,layer2,layer3,layer4").Split(','),
                !args.Contains("--no-sheets"),
                Number("--threads"));
        }
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

            double forward = Time(() => ForwardOnly(model, layers, source, options));
            var watch = Stopwatch.StartNew();
            var results = ExemplarComputation.Compute(model, layers, source, options);
            double pass1 = watch.Elapsed.TotalSeconds;
            watch.Restart();
            foreach (var exemplars in results)
            {
                ExemplarLayout.WriteLayer(Path.Combine(folder, "out"), exemplars, source, options, CPU);
                exemplars.Dispose();
            }
            double pass2 = watch.Elapsed.TotalSeconds;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"resnet18 {size}px, {settings.Images} images, batch {settings.BatchSize}, layers {string.Join(",", settings.Layers)}, "
                + $"threads {get_num_threads()}, sheets {(settings.Sheets ? "on" : "off")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  forward only (traced)   {forward,7:F2} s  {settings.Images / forward,7:F1} img/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pass 1 (stats + maps)   {pass1,7:F2} s  {settings.Images / pass1,7:F1} img/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pass 2 (write layout)   {pass2,7:F2} s  ({results.Sum(r => r.Units.Length)} units)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  whole exemplar pass     {pass1 + pass2,7:F2} s  {settings.Images / (pass1 + pass2),7:F1} img/s"));
            Console.WriteLine($"  peak memory (VmHWM)     {PeakMemory()}");
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The same batches through the traced model with nothing else done: the floor for pass 1.</summary>
    private static void ForwardOnly(nn.Module<Tensor, Tensor> model, IReadOnlyList<ExemplarLayer> layers, IImageSource source, ExemplarOptions options)
    {
        using var trace = LayerTrace.Attach(model, [.. layers.Select(l => l.ModulePath)]);
        using var noGrad = no_grad();
        model.eval();
        for (int start = 0; start < source.Count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(options.BatchSize, source.Count - start);
            var bytes = source.ReadBytes(Enumerable.Range(start, count).ToArray());
            trace.Run(options.Normalization.Normalize(bytes, CPU));
        }
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static string PeakMemory() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?["VmHWM:".Length..].Trim()
        ?? "unknown";
}
