namespace Milan.Annotations;

/// <summary>
/// Generalization splits over groups of dataset keys (milan-spec §2.5). The paper's experiments are
/// instances of three generic builders, so the same kinds of split apply to any set of keys, e.g.
/// the bundled world's models ("*/world-a,*/world-b"): <see cref="Across"/> (train on one value of a
/// factor, test on another, both directions), <see cref="LeaveOneOut"/> (train on all values but
/// one) and <see cref="Transfer"/> (a fixed train and test group), plus <see cref="WithinNetwork"/>.
/// </summary>
public static class GeneralizationSplits
{
    public const string WithinNetworkName = "within-network";
    public const string AcrossNetworkName = "across-network";
    public const string AcrossDatasetName = "across-dataset";
    public const string AcrossTaskName = "across-task";
    public const string AcrossArchName = "across-arch";
    public const string LeaveOneOutName = "leave-one-out";

    /// <summary>The paper's experiments, in the reference's order.</summary>
    public static IReadOnlyList<string> PaperExperiments { get; } =
        [WithinNetworkName, AcrossNetworkName, AcrossDatasetName, AcrossTaskName, AcrossArchName, LeaveOneOutName];

    /// <summary>
    /// The splits of one of the paper's experiments over the registered keys, in the reference's
    /// order (experiments/generalization.py): within-network on each base model (10 % held out);
    /// alexnet ↔ resnet152; imagenet ↔ places365; classifiers ↔ generators; base → dino_vits8/imagenet;
    /// not-X → X for each base model.
    /// </summary>
    public static IReadOnlyList<KeySplit> Paper(string experiment, string? dataRoot = null)
    {
        IReadOnlyList<DatasetKey> Group(string name) => DatasetKeys.Resolve(name, dataRoot);
        return experiment switch
        {
            WithinNetworkName => WithinNetwork(Group("base")),
            AcrossNetworkName => Across(Group("cls"), KeyFactor.Architecture),
            AcrossDatasetName => Across(Group("base"), KeyFactor.Dataset),
            AcrossTaskName => Across(Group("base"), KeyFactor.Task),
            AcrossArchName => [Transfer(Group("base"), Group("dino_vits8/imagenet"), "base -> dino_vits8/imagenet")],
            LeaveOneOutName => LeaveOneOut(Group("base"), KeyFactor.Key),
            _ => throw new MilanInputException($"experiment '{experiment}': expected one of {string.Join(", ", PaperExperiments)}"),
        };
    }

    /// <summary>One within-network split per key (each key's neurons split separately).</summary>
    public static IReadOnlyList<KeySplit> WithinNetwork(IReadOnlyList<DatasetKey> keys, double holdOut = WithinNetworkSplit.DefaultHoldOut) =>
        keys.Select(k => new KeySplit($"{WithinNetworkName} {k.Name}", [k], [k], holdOut)).ToArray();

    /// <summary>
    /// For every pair of distinct values of <paramref name="factor"/> among <paramref name="keys"/>
    /// (values in order of first appearance), a split training on the keys with the first value and
    /// testing on the keys with the second, then the reverse; keys keep their order within a group.
    /// </summary>
    public static IReadOnlyList<KeySplit> Across(IReadOnlyList<DatasetKey> keys, KeyFactor factor)
    {
        var groups = GroupBy(keys, factor);
        if (groups.Count < 2)
            throw new MilanInputException($"across-{factor.ToString().ToLowerInvariant()} split over {string.Join(",", keys)}: needs at least two different values, found {groups.Count}");
        var splits = new List<KeySplit>();
        for (int i = 0; i < groups.Count; i++)
            for (int j = i + 1; j < groups.Count; j++)
            {
                splits.Add(new KeySplit($"{groups[i].Value} -> {groups[j].Value}", groups[i].Keys, groups[j].Keys));
                splits.Add(new KeySplit($"{groups[j].Value} -> {groups[i].Value}", groups[j].Keys, groups[i].Keys));
            }
        return splits;
    }

    /// <summary>
    /// For each value of <paramref name="factor"/>, a split training on every key without that value
    /// and testing on the keys with it (with <see cref="KeyFactor.Key"/>: the reference's not-X → X).
    /// </summary>
    public static IReadOnlyList<KeySplit> LeaveOneOut(IReadOnlyList<DatasetKey> keys, KeyFactor factor = KeyFactor.Key)
    {
        var groups = GroupBy(keys, factor);
        if (groups.Count < 2)
            throw new MilanInputException($"leave-one-out split over {string.Join(",", keys)}: needs at least two different {factor.ToString().ToLowerInvariant()} values, found {groups.Count}");
        return groups.Select(g => new KeySplit(
                $"not-{g.Value.Replace('/', '-')} -> {g.Value}",
                keys.Where(k => Value(k, factor) != g.Value).ToArray(),
                g.Keys))
            .ToArray();
    }

    /// <summary>Train on one group of keys, test on another (e.g. base → dino_vits8/imagenet).</summary>
    public static KeySplit Transfer(IReadOnlyList<DatasetKey> train, IReadOnlyList<DatasetKey> test, string? name = null)
    {
        var overlap = train.Select(k => k.Folder).Intersect(test.Select(k => k.Folder)).ToArray();
        if (overlap.Length > 0)
            throw new MilanInputException($"split {name ?? "transfer"}: {overlap[0]} is in both the train and the test keys");
        return new KeySplit(name ?? $"{string.Join(",", train)} -> {string.Join(",", test)}", train, test);
    }

    /// <summary>The value of a factor for a key; unknown tasks raise an error naming the key.</summary>
    public static string Value(DatasetKey key, KeyFactor factor) => factor switch
    {
        KeyFactor.Key => key.Name,
        KeyFactor.Architecture => key.Architecture,
        KeyFactor.Dataset => key.Dataset,
        KeyFactor.Task => key.Task ?? throw new MilanInputException($"dataset key '{key.Name}': task unknown (only registered keys have one); split it by architecture or dataset instead"),
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    private static List<(string Value, IReadOnlyList<DatasetKey> Keys)> GroupBy(IReadOnlyList<DatasetKey> keys, KeyFactor factor)
    {
        var groups = new List<(string Value, IReadOnlyList<DatasetKey> Keys)>();
        foreach (var key in keys)
        {
            string value = Value(key, factor);
            if (groups.Any(g => g.Value == value)) continue;
            groups.Add((value, keys.Where(k => Value(k, factor) == value).ToArray()));
        }
        return groups;
    }
}
