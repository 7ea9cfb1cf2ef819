using System.Diagnostics;
using Milan.Captioning;
using Milan.Datasets;
using Milan.Exemplars;
using Milan.Language;
using Milan.Models;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Benchmarks;

/// <summary>
/// The TorchSharp side of each benchmark row, one piece of work per process (tools/torch_peer.py is the
/// PyTorch side, with the same arguments): a warm-up, then the timed work, then one JSON line
/// (<see cref="Measurement"/>). Everything goes through the library's own code paths.
/// </summary>
public static class TorchSharpSide
{
    public const int Words = 1000;

    public static Measurement Run(string work, Arguments args)
    {
        TorchRuntime.EnsureInitialized(args.Number("--threads"));
        return work switch
        {
            "exemplar" => Exemplar(args),
            "train" => Train(args),
            "decode" => Decode(args),
            "gemm" => Gemm(args),
            _ => throw new ArgumentException($"unknown work '{work}': expected exemplar, train, decode or gemm"),
        };
    }

    /// <summary>Pass 1 of the exemplar computation (or the traced forward alone) of a ResNet18 over an npy source.</summary>
    private static Measurement Exemplar(Arguments args)
    {
        string mode = args.Text("--mode", "pass1");
        int size = args.Number("--size", 224), width = args.Number("--width", 64), batch = args.Number("--batch", 32);
        using var source = new NpyImageSource(args.Value("--source") ?? throw new ArgumentException("--source <npy folder> is needed"));
        if (source.ImageSize != size) throw new ArgumentException($"--source holds {source.ImageSize} px images, not {size}");
        int images = Math.Min(args.Number("--images", source.Count), source.Count);
        using var model = SubjectModel.Create(new ModelSpec(args.Text("--arch", "resnet18"), 1000, size, width), CPU, seed: 0);
        SeededWeights.Fill(model);
        var layers = ExemplarLayer.Of(["conv1", "layer1", "layer2", "layer3", "layer4"]);
        var options = new ExemplarOptions { BatchSize = batch };

        double Run(int count)
        {
            var part = new FirstImages(source, count);
            if (mode == "forward") return ForwardOnly(model, layers, part, options);
            var results = ExemplarComputation.Compute(model, layers, part, options);
            try
            {
                return results.Sum(r => r.Levels.sum().item<float>() + r.Activations.select(1, 0).sum().item<float>());
            }
            finally
            {
                foreach (var result in results) result.Dispose();
            }
        }

        Run(Math.Min(batch, images));     // warm-up: oneDNN kernels, allocator
        var (check, seconds, cpu) = Timed(() => Run(images));
        return Result(images / seconds, "img/s", seconds, check, cpu);
    }

    /// <summary>
    /// The batches through the traced model with nothing else done, run as pass 1 runs it (the inference copy
    /// under inference mode); returns the sum of the last batch's traced outputs.
    /// </summary>
    internal static double ForwardOnly(nn.Module<Tensor, Tensor> model, IReadOnlyList<ExemplarLayer> layers, IImageSource source, ExemplarOptions options)
    {
        using var copy = IHasInferenceCopy.Of(model, layers.Select(l => l.ModulePath));
        var runner = copy ?? model;
        using var trace = LayerTrace.Attach(runner, [.. layers.Select(l => l.ModulePath)]);
        using var inference = inference_mode();
        runner.eval();
        double check = 0;
        for (int start = 0; start < source.Count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(options.BatchSize, source.Count - start);
            var bytes = source.ReadBytes(Enumerable.Range(start, count).ToArray());
            var outputs = trace.Run(options.Normalization.Normalize(bytes, CPU));
            if (start + count == source.Count) check = outputs.Values.Sum(o => o.sum().item<float>());
        }
        return check;
    }

    /// <summary>Training steps of the captioner (teacher forcing, attention penalty, AdamW) on a batch of annotations.</summary>
    private static Measurement Train(Arguments args)
    {
        int featureSize = args.Number("--features", 1024), batchSize = args.Number("--batch", 64), steps = args.Number("--steps", 8);
        var vocabulary = BenchmarkVocabulary();
        manual_seed(0);
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(featureSize, vocabulary.Count));
        SeededWeights.Fill(decoder);
        manual_seed(0);
        using var features = randn(batchSize, 15, featureSize);
        var indexer = new Indexer(vocabulary);
        var batch = Enumerable.Range(0, batchSize).Select(i => (i, AnnotationWords(i))).ToList();
        using var optimizer = optim.AdamW(decoder.parameters(), lr: 1e-3);
        decoder.train();
        double Step()
        {
            using var scope = NewDisposeScope();
            var loss = CaptionerTrainer.Loss(decoder, indexer, features, batch, 1.0, CPU);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }
        for (int i = 0; i < 2; i++) Step();
        var times = new List<double>();
        double check = 0;
        for (int i = 0; i < steps; i++)
        {
            var watch = Stopwatch.StartNew();
            check = Step();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return Result(batchSize / Median(times), "ann/s", times.Sum(), check);
    }

    /// <summary>MILAN's default decoding (beam 50, PMI rerank with λ = 0.2) of random exemplar features.</summary>
    private static Measurement Decode(Arguments args)
    {
        int featureSize = args.Number("--features", 1024), neurons = args.Number("--neurons", 32);
        var options = DecodingOptions.Default with { BatchSize = args.Number("--batch", 16), BeamSize = args.Number("--beam", 50) };
        var vocabulary = BenchmarkVocabulary();
        manual_seed(0);
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(featureSize, vocabulary.Count));
        SeededWeights.Fill(decoder);
        using var lm = new LanguageModel(new LanguageModelShape(vocabulary.Count, vocabulary.Pad));
        SeededWeights.Fill(lm);
        manual_seed(1);
        using var features = randn(neurons, 15, featureSize);

        double Run(long count) =>
            CaptionDecoding.Decode(decoder, lm, vocabulary, features.narrow(0, 0, count), options, CPU).Sum(d => d.Tokens.Length);

        Run(Math.Min(options.BatchSize, neurons));
        var (check, seconds, cpu) = Timed(() => Run(neurons));
        return Result(neurons / seconds, "neurons/s", seconds, check, cpu);
    }

    private static Measurement Gemm(Arguments args)
    {
        int n = args.Number("--n", 2048), steps = args.Number("--steps", 10);
        manual_seed(0);
        using var a = randn(n, n);
        using var b = randn(n, n);
        a.matmul(b).Dispose();
        var times = new List<double>();
        double check = 0;
        for (int i = 0; i < steps; i++)
        {
            var watch = Stopwatch.StartNew();
            using var c = a.matmul(b);
            times.Add(watch.Elapsed.TotalSeconds);
            check = c[0, 0].item<float>();
        }
        return Result(2.0 * n * n * n / Median(times) / 1e9, "GFLOP/s", times.Sum(), check);
    }

    /// <summary>1,000 words w0..w999 plus the 4 specials: the reference's vocabulary size, 1,004.</summary>
    private static Vocabulary BenchmarkVocabulary() => Vocabulary.FromWords(Enumerable.Range(0, Words).Select(i => $"w{i}"));

    /// <summary>The benchmark's deterministic annotations: 3..8 words (the same rule as the Python side).</summary>
    private static int[] AnnotationWords(int index) => Enumerable.Range(0, 3 + index % 6).Select(j => (index * 7 + j * 13) % Words).ToArray();

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static Measurement Result(double value, string unit, double seconds, double check, double? cpuSeconds = null) =>
        new(value, unit, seconds, check, MachineState.TorchSharpBlas(), get_num_threads(), cpuSeconds);

    /// <summary>The result of <paramref name="work"/>, its wall seconds and the process's CPU seconds (all threads).</summary>
    private static (double Result, double Seconds, double Cpu) Timed(Func<double> work)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        double result = work();
        double seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (result, seconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>The first images of a source.</summary>
    internal sealed class FirstImages(IImageSource inner, int count) : IImageSource
    {
        public string Description => inner.Description;
        public int Count => Math.Min(count, inner.Count);
        public int ImageSize => inner.ImageSize;
        public IReadOnlyList<string> ClassNames => inner.ClassNames;
        public long Label(int index) => inner.Label(index);
        public Tensor ReadBytes(IReadOnlyList<int> indices) => inner.ReadBytes(indices);
    }
}
