using System.Text.Json;
using System.Text.Json.Serialization;
using Milan.IO;
using static TorchSharp.torch;

namespace Milan.Annotations;

/// <summary>
/// The within-network split (milan-spec §2.5): a random fraction of one dataset's neurons held out
/// for testing. Test size = floor(holdOut × samples), as the reference's training.random_split; the
/// permutation is libtorch's randperm with a generator seeded by <see cref="Seed"/> (what
/// torch.utils.data.random_split does with a seeded generator; the reference does not seed it).
/// Indices refer to the dataset's sample order; both lists are kept sorted ascending. The split is
/// saved as JSON and reloaded as it was; reloading against a dataset whose samples differ (count, or
/// the units at the held-out indices) is an error rather than a silently different split.
/// </summary>
public sealed record WithinNetworkSplit(
    string Dataset,
    int SampleCount,
    double HoldOut,
    int Seed,
    IReadOnlyList<int> Train,
    IReadOnlyList<int> Test,
    IReadOnlyList<string> TestUnits)
{
    public const double DefaultHoldOut = 0.1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The reference's file name for a key's split, e.g. "alexnet_imagenet-splits.json".</summary>
    public static string FileName(string datasetName) => $"{datasetName.Replace('/', '_')}-splits.json";

    /// <summary>Draws a split of <paramref name="samples"/> (one dataset's samples in loader order).</summary>
    public static WithinNetworkSplit Create(string dataset, IReadOnlyList<TopImagesSample> samples, double holdOut = DefaultHoldOut, int seed = 0)
    {
        if (holdOut is <= 0 or >= 1 || double.IsNaN(holdOut))
            throw new MilanInputException($"--hold-out {holdOut}: expected a fraction strictly between 0 and 1");
        int n = samples.Count;
        int testCount = (int)(holdOut * n);
        if (testCount == 0 || testCount == n)
            throw new MilanInputException($"--hold-out {holdOut}: with {n} samples of {dataset} the {(testCount == 0 ? "test" : "train")} set would be empty");
        long[] permutation;
        using (var generator = new TorchSharp.torch.Generator((ulong)seed))
        using (var perm = randperm(n, generator: generator))
            permutation = perm.data<long>().ToArray();
        int trainCount = n - testCount;
        var train = permutation.Take(trainCount).Select(i => (int)i).Order().ToArray();
        var test = permutation.Skip(trainCount).Select(i => (int)i).Order().ToArray();
        return new WithinNetworkSplit(dataset, n, holdOut, seed, train, test, test.Select(i => Describe(samples[i])).ToArray());
    }

    /// <summary>Writes the split as JSON (atomically).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Stored(this), Json));

    public static WithinNetworkSplit Load(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "split file not found");
        Stored? stored;
        try { stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw MilanInputException.InFile(path, $"malformed split file: {e.Message}"); }
        if (stored is null || stored.Dataset is null || stored.Train is null || stored.Test is null || stored.TestUnits is null)
            throw MilanInputException.InFile(path, "malformed split file (expected dataset, sample_count, hold_out, seed, train, test, test_units)");
        if (stored.Test.Length != stored.TestUnits.Length)
            throw MilanInputException.InFile(path, $"{stored.Test.Length} test indices but {stored.TestUnits.Length} test units");
        var all = stored.Train.Concat(stored.Test).ToArray();
        if (all.Length != stored.SampleCount || all.Distinct().Count() != all.Length || all.Any(i => i < 0 || i >= stored.SampleCount))
            throw MilanInputException.InFile(path, $"train and test indices must cover 0..{stored.SampleCount - 1} exactly once");
        return new WithinNetworkSplit(stored.Dataset, stored.SampleCount, stored.HoldOut, stored.Seed, stored.Train, stored.Test, stored.TestUnits);
    }

    /// <summary>
    /// The reference's behaviour: reuse the split saved at <paramref name="path"/> if there is one,
    /// else draw one and save it there.
    /// </summary>
    public static WithinNetworkSplit LoadOrCreate(string path, string dataset, IReadOnlyList<TopImagesSample> samples, double holdOut = DefaultHoldOut, int seed = 0)
    {
        if (File.Exists(path)) return Load(path);
        var split = Create(dataset, samples, holdOut, seed);
        split.Save(path);
        return split;
    }

    /// <summary>The train and test samples, after checking that <paramref name="samples"/> is the dataset the split was drawn from.</summary>
    public (IReadOnlyList<TopImagesSample> Train, IReadOnlyList<TopImagesSample> Test) Apply(IReadOnlyList<TopImagesSample> samples)
    {
        if (samples.Count != SampleCount)
            throw new MilanInputException($"within-network split of {Dataset}: drawn from {SampleCount} samples, the dataset now has {samples.Count}");
        for (int i = 0; i < Test.Count; i++)
            if (Describe(samples[Test[i]]) != TestUnits[i])
                throw new MilanInputException($"within-network split of {Dataset}: test sample {Test[i]} was {TestUnits[i]}, the dataset now has {Describe(samples[Test[i]])} there");
        return (Train.Select(i => samples[i]).ToArray(), Test.Select(i => samples[i]).ToArray());
    }

    private static string Describe(TopImagesSample sample) => sample.Id.ToString();

    private sealed class Stored
    {
        public Stored() { }

        public Stored(WithinNetworkSplit split)
        {
            Dataset = split.Dataset;
            SampleCount = split.SampleCount;
            HoldOut = split.HoldOut;
            Seed = split.Seed;
            Train = split.Train.ToArray();
            Test = split.Test.ToArray();
            TestUnits = split.TestUnits.ToArray();
        }

        public string? Dataset { get; set; }
        public int SampleCount { get; set; }
        public double HoldOut { get; set; }
        public int Seed { get; set; }
        public int[]? Train { get; set; }
        public int[]? Test { get; set; }
        [JsonPropertyName("test_units")] public string[]? TestUnits { get; set; }
    }
}
