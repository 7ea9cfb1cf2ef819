using System.Diagnostics;
using Milan.Captioning;
using Milan.Language;
using Milan.Torch;
using TorchSharp;
using static TorchSharp.torch;

// Captioner training throughput (annotations/s, batch 64) and decoding speed (neurons/s, beam 50,
// batched) at the reference's sizes, on random features and a random vocabulary.
// Usage: dotnet run -c Release [-- device [vocabularyWords]]
var device = DeviceChoice.Parse(args.Length > 0 ? args[0] : "cpu");
int words = args.Length > 1 ? int.Parse(args[1]) : 1000;
TorchRuntime.EnsureInitialized();
Console.WriteLine($"device {device}, threads {get_num_threads()}, vocabulary {words} words + 4 specials");
var vocabulary = Vocabulary.FromWords(Enumerable.Range(0, words).Select(i => $"w{i}"));
var random = new Random(0);
string Annotation() => string.Join(' ', Enumerable.Range(0, random.Next(3, 9)).Select(_ => $"w{random.Next(words)}"));

foreach (int featureSize in new[] { 1024, 3904 })
{
    manual_seed(0);
    using var decoder = new CaptionDecoder(new CaptionDecoderShape(featureSize, vocabulary.Count));
    decoder.to(device);
    using var features = randn(64, 15, featureSize).to(device);
    var indexer = new Indexer(vocabulary);
    var batch = Enumerable.Range(0, 64).Select(i => (i, indexer.WordIds(Annotation()))).ToList();
    using var optimizer = TorchSharp.torch.optim.AdamW(decoder.parameters(), lr: 1e-3);
    decoder.train();
    var process = Process.GetCurrentProcess();
    double cpuSeconds = 0;
    double Step()
    {
        var watch = Stopwatch.StartNew();
        var cpuBefore = process.TotalProcessorTime;
        using var scope = NewDisposeScope();
        var loss = CaptionerTrainer.Loss(decoder, indexer, features, batch, 1.0, device);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        _ = loss.item<float>();
        process.Refresh();
        cpuSeconds += (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return watch.Elapsed.TotalSeconds;
    }
    for (int i = 0; i < 2; i++) Step();
    cpuSeconds = 0;
    var times = Enumerable.Range(0, 8).Select(_ => Step()).Order().ToList();
    double median = times[times.Count / 2];
    Console.WriteLine($"train D={featureSize}: {median * 1000:F0} ms per batch of 64 (median of 8) = {64 / median:F0} annotations/s; "
        + $"CPU time {cpuSeconds / 8 * 1000:F0} ms per batch (all threads)");

    manual_seed(1);
    using var lm = new LanguageModel(new LanguageModelShape(vocabulary.Count, vocabulary.Pad));
    lm.to(device);
    using var neurons = randn(32, 15, featureSize);
    foreach (var (strategy, batchSize) in new[] { (DecodingStrategy.Rerank, 16), (DecodingStrategy.Rerank, 1), (DecodingStrategy.Greedy, 16) })
    {
        var options = DecodingOptions.Default with { Strategy = strategy, BatchSize = batchSize };
        int count = batchSize == 1 ? 8 : 32;
        CaptionDecoding.Decode(decoder, lm, vocabulary, neurons.narrow(0, 0, Math.Min(count, 16)), options, device);
        var watch = Stopwatch.StartNew();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        CaptionDecoding.Decode(decoder, lm, vocabulary, neurons.narrow(0, 0, count), options, device);
        double seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"decode D={featureSize} {strategy.ToString().ToLowerInvariant()} beam 50, {batchSize} neurons per batch: {count / seconds:F2} neurons/s ({seconds / count * 1000:F0} ms per neuron; CPU time {cpu / count * 1000:F0} ms per neuron)");
    }
}
