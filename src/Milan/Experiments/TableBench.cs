using System.Security.Cryptography;
using System.Text;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Corpus;
using Milan.Evaluation;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// The described models opened once for the Table 2 and Table 3 protocols: each key's samples,
/// annotations and exemplar features (encoded once with the captioner's encoder and cached), and
/// MILAN trainings on any selection of units, whose descriptions are cached on disk so that a training
/// shared by Table 2 and Table 3 (leave-one-out) runs once. Two sources: the bundled world corpus
/// (<see cref="Open"/>: its keys, its encoder subject, and NetDissect/CompExp baselines from its concept
/// masks) and MILANNOTATIONS keys (<see cref="OpenKeys"/>: any encoder, no baselines).
/// </summary>
public sealed class TableBench : IDisposable
{
    private readonly Dictionary<string, MilannotationsDataset> _datasets = [];
    private readonly Dictionary<string, Tensor> _features = [];
    private readonly PyramidEncoder _encoder;
    private readonly bool _ownsEncoder;
    private readonly string _cacheFolder;

    public string DataRoot { get; }

    /// <summary>The world corpus' models root, where its subject models are; null for MILANNOTATIONS keys.</summary>
    public string? ModelsRoot { get; }

    public Device Device { get; }

    /// <summary>Whether the keys are the world corpus', whose concept masks give the NetDissect and CompExp baselines.</summary>
    public bool IsWorldCorpus => ModelsRoot is not null;

    private TableBench(string dataRoot, string? modelsRoot, string cacheFolder, Device device, PyramidEncoder encoder, bool ownsEncoder)
    {
        DataRoot = dataRoot;
        ModelsRoot = modelsRoot;
        Device = device;
        _encoder = encoder;
        _ownsEncoder = ownsEncoder;
        _cacheFolder = cacheFolder;
    }

    /// <summary>A selection of units of one key (indices into its samples).</summary>
    public sealed record Part(string Key, IReadOnlyList<int> Indices);

    /// <summary>Opens world corpus keys; <paramref name="cacheFolder"/> keeps exemplar features and MILAN descriptions.</summary>
    public static TableBench Open(IReadOnlyList<string> keys, string dataRoot, string modelsRoot, string cacheFolder, Device device, IProgress<WorkProgress>? progress = null)
    {
        var manifest = WorldCorpusManifest.Read(dataRoot)
            ?? throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), "not found; build the world corpus first (milan milannotations build)");
        if (!manifest.Subjects.TryGetValue(WorldCorpusSettings.EncoderName, out var encoderSubject))
            throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), $"subject '{WorldCorpusSettings.EncoderName}' (the captioner's encoder) missing");
        var unknown = keys.FirstOrDefault(k => !manifest.Datasets.ContainsKey(k));
        if (unknown is not null)
            throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), $"no dataset '{unknown}'; expected one of {string.Join(", ", manifest.Datasets.Keys)}");
        string weights = Path.Combine(modelsRoot, encoderSubject.Folder, "weights.safetensors");
        var encoder = PyramidEncoder.FromWeights(weights, null, device);
        var bench = new TableBench(dataRoot, modelsRoot, cacheFolder, device, encoder, ownsEncoder: true);
        return bench.Add(keys.Select(k => (k, DatasetKeys.Resolve(k, dataRoot))).ToList(), progress);
    }

    /// <summary>
    /// Opens MILANNOTATIONS keys (ImageNet exemplar images merged when missing) with
    /// <paramref name="encoder"/>, which the caller keeps and disposes.
    /// </summary>
    public static TableBench OpenKeys(IReadOnlyList<DatasetKey> keys, string dataRoot, PyramidEncoder encoder, string cacheFolder, Device device,
        IProgress<WorkProgress>? progress = null)
    {
        var bench = new TableBench(dataRoot, null, cacheFolder, device, encoder, ownsEncoder: false);
        return bench.Add(keys.Select(k => (k.Name, (IReadOnlyList<DatasetKey>)[k])).ToList(), progress);
    }

    private TableBench Add(IReadOnlyList<(string Name, IReadOnlyList<DatasetKey> Keys)> keys, IProgress<WorkProgress>? progress)
    {
        try
        {
            Directory.CreateDirectory(_cacheFolder);
            foreach (var (name, resolved) in keys)
            {
                var data = MilannotationsDataset.Load(name, resolved, new TopImagesLoadOptions { DataRoot = DataRoot }, progress);
                _datasets[name] = data;
                _features[name] = FeatureCache.GetOrCompute(_cacheFolder, DatasetIdentity.Of(data), _encoder, data.Samples.Select(NeuronExemplars.From).ToList(), progress);
            }
            return this;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<TopImagesSample> Samples(string key) => _datasets.TryGetValue(key, out var d) ? d.Samples
        : throw new ArgumentException($"key {key} was not opened");

    /// <summary>All units of a key.</summary>
    public Part All(string key) => new(key, Enumerable.Range(0, Samples(key).Count).ToArray());

    /// <summary>The annotated units of the parts, in order.</summary>
    public IReadOnlyList<AnnotatedUnit> Units(IEnumerable<Part> parts) =>
        parts.SelectMany(p => p.Indices.Select(i => Samples(p.Key)[i]))
             .Select(s => new AnnotatedUnit(s.Dataset, s.Layer, s.Unit, s.Annotations)).ToList();

    /// <summary>
    /// Trains MILAN (new p(d) and p(d|E), seeded) on the training parts and describes the test parts
    /// greedily (p(d|E)) and with the PMI rerank; both lists follow <see cref="Units"/> of the test parts.
    /// A finished training's descriptions are read back from the cache.
    /// </summary>
    public (IReadOnlyList<string> Greedy, IReadOnlyList<string> Pmi) TrainAndDescribe(IReadOnlyList<Part> train, IReadOnlyList<Part> test, int seed,
        TableSettings settings, IProgress<WorkProgress>? progress = null)
    {
        var testCount = test.Sum(p => p.Indices.Count);
        string cache = Path.Combine(_cacheFolder, $"milan-{CacheKey(train, test, seed, settings)}.tsv");
        // Descriptions changed since they were written are made again (the training reruns).
        if (File.Exists(cache) && IO.StageSeal.Check(_cacheFolder, IO.SealCheck.Fast, [Path.GetFileName(cache)]).Count > 0) File.Delete(cache);
        if (File.Exists(cache))
        {
            var lines = File.ReadAllLines(cache);
            if (lines.Length == testCount)
                return (lines.Select(l => l.Split('\t')[0]).ToList(), lines.Select(l => l.Split('\t')[1]).ToList());
        }
        using var scope = NewDisposeScope();
        var trainFeatures = cat(train.Select(p => Select(p)).ToArray(), 0);
        var annotations = train.SelectMany(p => p.Indices.Select(i => Samples(p.Key)[i].Annotations)).ToList();
        var options = new MilanTrainingOptions
        {
            SplitSeed = seed,
            HiddenSize = settings.HiddenSize,
            DataKeys = train.Select(p => p.Key).Distinct().ToList(),
            Captioner = new CaptionerTrainingSettings { MaxEpochs = settings.MaxEpochs, Patience = settings.Patience, StopOnMetric = settings.CaptionerStopsOnBleu, Seed = seed },
            LanguageModel = new LanguageModelTrainingSettings { MaxEpochs = settings.MaxEpochs, Patience = settings.Patience, Seed = seed },
        };
        using var model = MilanModel.Train(trainFeatures, annotations, _encoder.Description, options, ValidationMetric.Bleu, Device, progress);
        var testFeatures = cat(test.Select(p => Select(p)).ToArray(), 0);
        var greedy = model.Describe(testFeatures, DecodingOptions.Greedy, progress).Select(d => d.Description).ToList();
        var pmi = model.Describe(testFeatures, PmiDecoding(settings), progress).Select(d => d.Description).ToList();
        IO.AtomicFile.WriteAllText(cache, string.Concat(greedy.Zip(pmi, (g, p) => Clean(g) + "\t" + Clean(p) + "\n")));
        IO.StageSeal.Record(_cacheFolder, Path.GetFileName(cache));
        return (greedy, pmi);
    }

    private Tensor Select(Part part) =>
        _features[part.Key].index_select(0, tensor(part.Indices.Select(i => (long)i).ToArray()));

    private static DecodingOptions PmiDecoding(TableSettings settings) => DecodingOptions.Default with { BeamSize = settings.BeamSize };

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private string CacheKey(IReadOnlyList<Part> train, IReadOnlyList<Part> test, int seed, TableSettings settings)
    {
        var text = new StringBuilder();
        text.Append(_encoder.Description.Key).Append('|').Append(seed).Append('|')
            .Append(settings.MaxEpochs).Append('|').Append(settings.Patience).Append('|').Append(settings.CaptionerStopsOnBleu ? "bleu" : "loss").Append('|').Append(settings.HiddenSize).Append('|').Append(settings.BeamSize)
            // The decoding settings too, so that a change of them (e.g. AllowEmpty) describes again rather than reading stale descriptions.
            .Append('|').Append(DecodingOptions.Greedy).Append('|').Append(PmiDecoding(settings));
        foreach (var (side, parts) in new[] { ("train", train), ("test", test) })
            foreach (var p in parts)
                text.Append('|').Append(side).Append(':').Append(DatasetIdentity.Of(_datasets[p.Key])).Append(':').Append(string.Join(",", p.Indices));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..20];
    }

    public void Dispose()
    {
        foreach (var t in _features.Values) t.Dispose();
        foreach (var d in _datasets.Values) d.Dispose();
        if (_ownsEncoder) _encoder.Dispose();
    }
}
