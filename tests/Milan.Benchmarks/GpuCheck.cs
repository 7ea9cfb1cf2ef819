using System.Globalization;
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
/// CPU against another device (CUDA) on the same seeded work: the exemplar pass of a ResNet18 (top-k
/// ids, pooled activations, thresholds, masks) and MILAN's beam-50 PMI decode (chosen tokens, scores).
/// Run by tools/gpu_check.sh on a machine with a GPU and the CUDA backend. GPUs compute convolutions
/// and products in other orders (and cuDNN may use TF32), so values differ in the last digits and
/// near-ties may swap; the check prints how much, and fails beyond the tolerances below.
/// </summary>
public static class GpuCheck
{
    public static int Run(Arguments args)
    {
        TorchRuntime.EnsureInitialized(args.Number("--threads"));
        var other = DeviceChoice.Parse(args.Text("--device", "cuda"));
        Console.WriteLine($"comparing cpu with {other} (cuda available: {cuda.is_available()}, devices: {cuda.device_count()})");
        bool ok = Exemplars(other) & Decoding(other);
        Console.WriteLine(ok ? "gpu check: passed" : "gpu check: FAILED");
        return ok ? 0 : 1;
    }

    private static bool Exemplars(Device other)
    {
        const int size = 64, count = 96;
        string folder = Path.Combine(Path.GetTempPath(), "milan-gpu-check-" + Guid.NewGuid().ToString("N"));
        try
        {
            manual_seed(0);
            using (var bytes = randint(0, 256, [count, 3, size, size], dtype: ScalarType.Byte))
                NpyImageSource.Write(folder, bytes);
            using var source = new NpyImageSource(folder);
            var layers = ExemplarLayer.Of(["conv1", "layer1", "layer2", "layer3", "layer4"]);
            var options = new ExemplarOptions { BatchSize = 32, K = 15 };
            IReadOnlyList<LayerExemplars> On(Device device)
            {
                using var model = SubjectModel.Create(new ModelSpec("resnet18", 1000, size), CPU, seed: 0);
                SeededWeights.Fill(model);
                model.to(device);
                return ExemplarComputation.Compute(model, layers, source, options);
            }
            var expected = On(CPU);
            var actual = On(other);
            bool ok = true;
            for (int i = 0; i < layers.Count; i++)
            {
                using var scope = NewDisposeScope();
                var (e, a) = (expected[i], actual[i]);
                double sameIds = e.Ids.eq(a.Ids).to(ScalarType.Float32).mean().item<float>();
                double activationError = Relative(e.Activations, a.Activations);
                double levelError = Relative(e.Levels, a.Levels);
                var masksE = e.Masks(0, e.Units.Length, size);
                var masksA = a.Masks(0, a.Units.Length, size, other).cpu();
                double sameMaskPixels = masksE.eq(masksA).to(ScalarType.Float32).mean().item<float>();
                // Ids may swap between near-equal activations; thresholds and activations agree to float (or TF32) precision.
                bool layerOk = sameIds >= 0.95 && activationError <= 1e-2 && levelError <= 1e-2 && sameMaskPixels >= 0.99;
                ok &= layerOk;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  exemplars {layers[i].Name,-7} same top-k ids {sameIds:P2}, activations max rel. diff {activationError:E2}, thresholds {levelError:E2}, same mask pixels {sameMaskPixels:P3} {(layerOk ? "ok" : "FAIL")}"));
            }
            foreach (var r in expected.Concat(actual)) r.Dispose();
            return ok;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static bool Decoding(Device other)
    {
        var vocabulary = Vocabulary.FromWords(Enumerable.Range(0, TorchSharpSide.Words).Select(i => $"w{i}"));
        manual_seed(0);
        using var decoder = new CaptionDecoder(new CaptionDecoderShape(1024, vocabulary.Count));
        SeededWeights.Fill(decoder);
        using var lm = new LanguageModel(new LanguageModelShape(vocabulary.Count, vocabulary.Pad));
        SeededWeights.Fill(lm);
        manual_seed(1);
        using var features = randn(16, 15, 1024);
        var expected = CaptionDecoding.Decode(decoder, lm, vocabulary, features, DecodingOptions.Default, CPU);
        decoder.to(other);
        lm.to(other);
        var actual = CaptionDecoding.Decode(decoder, lm, vocabulary, features, DecodingOptions.Default, other);
        int same = expected.Zip(actual).Count(p => p.First.Tokens.SequenceEqual(p.Second.Tokens));
        double scoreError = expected.Zip(actual).Max(p => Math.Abs(p.First.Score - p.Second.Score) / Math.Max(1, Math.Abs(p.First.Score)));
        bool ok = same >= expected.Count - 1 && scoreError <= 1e-3;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  decode (beam 50, PMI rerank, 16 neurons): same descriptions {same}/{expected.Count}, scores max rel. diff {scoreError:E2} {(ok ? "ok" : "FAIL")}"));
        return ok;
    }

    private static double Relative(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var scale = expected.abs().max().clamp_min(1e-12);
        return ((actual.cpu() - expected).abs().max() / scale).item<float>();
    }
}
