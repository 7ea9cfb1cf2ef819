namespace Milan.Annotations;

/// <summary>
/// A <see cref="KeySplit"/> with its datasets open: the train and test sample lists the captioner
/// trains and is evaluated on. A key used by both sides is opened once. Owns the datasets; dispose it.
/// </summary>
public sealed class LoadedSplit : IDisposable
{
    private readonly IReadOnlyList<TopImagesDataset> _datasets;

    public KeySplit Split { get; }
    public IReadOnlyList<TopImagesSample> Train { get; }
    public IReadOnlyList<TopImagesSample> Test { get; }

    /// <summary>For within-network splits, the neuron split of each key (in key order); empty otherwise.</summary>
    public IReadOnlyList<WithinNetworkSplit> Indices { get; }

    private LoadedSplit(KeySplit split, IReadOnlyList<TopImagesDataset> datasets, IReadOnlyList<TopImagesSample> train,
        IReadOnlyList<TopImagesSample> test, IReadOnlyList<WithinNetworkSplit> indices)
    {
        Split = split;
        _datasets = datasets;
        Train = train;
        Test = test;
        Indices = indices;
    }

    /// <summary>
    /// Opens the split's datasets and builds the sample lists. For a within-network split the neuron
    /// split of each key is read from <paramref name="splitFolder"/>/&lt;key&gt;-splits.json when present,
    /// else drawn with <paramref name="seed"/> and saved there (kept in memory only when no folder is given).
    /// </summary>
    public static LoadedSplit Load(KeySplit split, TopImagesLoadOptions? options = null, string? splitFolder = null, int seed = 0,
        IProgress<WorkProgress>? progress = null)
    {
        var opened = new Dictionary<string, TopImagesDataset>(StringComparer.Ordinal);
        try
        {
            TopImagesDataset Open(DatasetKey key)
            {
                string folder = Path.GetFullPath(key.Folder);
                if (!opened.TryGetValue(folder, out var dataset))
                    opened[folder] = dataset = TopImagesDataset.Open(key, options, progress);
                return dataset;
            }

            if (split.HoldOut is double holdOut)
            {
                var train = new List<TopImagesSample>();
                var test = new List<TopImagesSample>();
                var indices = new List<WithinNetworkSplit>();
                foreach (var key in split.Train)
                {
                    var samples = Open(key).Samples;
                    var neurons = splitFolder is null
                        ? WithinNetworkSplit.Create(key.Name, samples, holdOut, seed)
                        : WithinNetworkSplit.LoadOrCreate(Path.Combine(splitFolder, WithinNetworkSplit.FileName(key.Name)), key.Name, samples, holdOut, seed);
                    var (keyTrain, keyTest) = neurons.Apply(samples);
                    train.AddRange(keyTrain);
                    test.AddRange(keyTest);
                    indices.Add(neurons);
                }
                return new LoadedSplit(split, opened.Values.ToArray(), train, test, indices);
            }

            var trainSamples = split.Train.SelectMany(k => Open(k).Samples).ToArray();
            var testSamples = split.Test.SelectMany(k => Open(k).Samples).ToArray();
            return new LoadedSplit(split, opened.Values.ToArray(), trainSamples, testSamples, []);
        }
        catch
        {
            foreach (var dataset in opened.Values) dataset.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var dataset in _datasets) dataset.Dispose();
    }
}
