using System.Security.Cryptography;
using System.Text;
using Milan.Annotations;
using Milan.Captioning;
using Milan.Corpus;
using Milan.Datasets;
using Milan.Evaluation;
using static TorchSharp.torch;

namespace Milan.Experiments;

/// <summary>
/// The described models of the world corpus opened once for the tables: each key's samples,
/// annotations and exemplar features (encoded once with the corpus's captioner encoder and cached),
/// and MILAN trainings on any selection of units, whose descriptions are cached on disk so that a
/// training shared by Table 2 and Table 3 (leave-one-out) runs once.
/// </summary>
public sealed class WorldBench : IDisposable
{
    private readonly Dictionary<string, MilannotationsDataset> _datasets = [];
    private readonly Dictionary<string, Tensor> _features = [];
    private readonly PyramidEncoder _encoder;
    private readonly string _cacheFolder;

    public string DataRoot { get; }
    public string ModelsRoot { get; }
    public Device Device { get; }

    private WorldBench(string dataRoot, string modelsRoot, string cacheFolder, Device device, PyramidEncoder encoder)
    {
        DataRoot = dataRoot;
        ModelsRoot = modelsRoot;
        Device = device;
        _encoder = encoder;
        _cacheFolder = cacheFolder;
    }

    /// <summary>A selection of units of one key (indices into its samples).</summary>
    public sealed record Part(string Key, IReadOnlyList<int> Indices);

    /// <summary>Opens the keys; <paramref name="cacheFolder"/> keeps exemplar features and MILAN descriptions.</summary>
    public static WorldBench Open(IReadOnlyList<string> keys, string dataRoot, string modelsRoot, string cacheFolder, Device device, IProgress<WorkProgress>? progress = null)
    {
        var manifest = WorldCorpusManifest.Read(dataRoot)
            ?? throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), "not found; build the world corpus first (milan milannotations build)");
        if (!manifest.Subjects.TryGetValue(WorldCorpusSettings.EncoderName, out var encoderSubject))
            throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), $"subject '{WorldCorpusSettings.EncoderName}' (the captioner's encoder) missing");
        string weights = Path.Combine(modelsRoot, encoderSubject.Folder, "weights.safetensors");
        var encoder = PyramidEncoder.FromWeights(weights, null, device);
        var bench = new WorldBench(dataRoot, modelsRoot, cacheFolder, device, encoder);
        try
        {
            Directory.CreateDirectory(cacheFolder);
            foreach (var key in keys)
            {
                if (!manifest.Datasets.ContainsKey(key))
                    throw MilanInputException.InFile(WorldCorpusManifest.PathIn(dataRoot), $"no dataset '{key}'; expected one of {string.Join(", ", manifest.Datasets.Keys)}");
                var data = MilannotationsDataset.Load(key, new TopImagesLoadOptions { DataRoot = dataRoot });
                bench._datasets[key] = data;
                bench._features[key] = FeatureCache.GetOrCompute(cacheFolder, DatasetIdentity.Of(data), encoder, data.Samples.Select(NeuronExemplars.From).ToList(), progress);
            }
            return bench;
        }
        catch
        {
            bench.Dispose();
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
            Captioner = new CaptionerTrainingSettings { MaxEpochs = settings.MaxEpochs, Patience = settings.Patience, Seed = seed },
            LanguageModel = new LanguageModelTrainingSettings { MaxEpochs = settings.MaxEpochs, Patience = settings.Patience, Seed = seed },
        };
        using var model = MilanModel.Train(trainFeatures, annotations, _encoder.Description, options, ValidationMetric.Bleu, Device, progress);
        var testFeatures = cat(test.Select(p => Select(p)).ToArray(), 0);
        var greedy = model.Describe(testFeatures, DecodingOptions.Greedy, progress).Select(d => d.Description).ToList();
        var pmi = model.Describe(testFeatures, DecodingOptions.Default with { BeamSize = settings.BeamSize }, progress).Select(d => d.Description).ToList();
        IO.AtomicFile.WriteAllText(cache, string.Concat(greedy.Zip(pmi, (g, p) => Clean(g) + "\t" + Clean(p) + "\n")));
        return (greedy, pmi);
    }

    private Tensor Select(Part part) =>
        _features[part.Key].index_select(0, tensor(part.Indices.Select(i => (long)i).ToArray()));

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private string CacheKey(IReadOnlyList<Part> train, IReadOnlyList<Part> test, int seed, TableSettings settings)
    {
        var text = new StringBuilder();
        text.Append(_encoder.Description.Key).Append('|').Append(seed).Append('|')
            .Append(settings.MaxEpochs).Append('|').Append(settings.Patience).Append('|').Append(settings.HiddenSize).Append('|').Append(settings.BeamSize);
        foreach (var (side, parts) in new[] { ("train", train), ("test", test) })
            foreach (var p in parts)
                text.Append('|').Append(side).Append(':').Append(DatasetIdentity.Of(_datasets[p.Key])).Append(':').Append(string.Join(",", p.Indices));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..20];
    }

    public void Dispose()
    {
        foreach (var t in _features.Values) t.Dispose();
        foreach (var d in _datasets.Values) d.Dispose();
        _encoder.Dispose();
    }
}
