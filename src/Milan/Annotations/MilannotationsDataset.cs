namespace Milan.Annotations;

/// <summary>
/// Several exemplar datasets concatenated in key order, like the reference's
/// <c>milannotations.load('base')</c>: <see cref="Samples"/> lists the first dataset's samples,
/// then the second's, and so on. Owns the datasets it opened; dispose it when done.
/// </summary>
public sealed class MilannotationsDataset : IDisposable
{
    /// <summary>The key expression this was loaded from, e.g. "base" or "*/world-a".</summary>
    public string Name { get; }

    public IReadOnlyList<TopImagesDataset> Parts { get; }

    public IReadOnlyList<TopImagesSample> Samples { get; }

    public IReadOnlyList<DatasetKey> Keys => Parts.Select(p => p.Key).ToArray();

    public MilannotationsDataset(string name, IReadOnlyList<TopImagesDataset> parts)
    {
        Name = name;
        Parts = parts;
        Samples = parts.SelectMany(p => p.Samples).ToArray();
    }

    /// <summary>
    /// Resolves a key expression (<see cref="DatasetKeys.Resolve"/>: a key, grouping, glob, folder, or a
    /// comma list of them) and opens every dataset in order.
    /// </summary>
    public static MilannotationsDataset Load(string expression, TopImagesLoadOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        options ??= new TopImagesLoadOptions();
        return Load(expression, DatasetKeys.Resolve(expression, options.ResolvedDataRoot), options, progress);
    }

    /// <summary>Opens the given keys in order as one dataset named <paramref name="name"/>.</summary>
    public static MilannotationsDataset Load(string name, IReadOnlyList<DatasetKey> keys, TopImagesLoadOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        var parts = new List<TopImagesDataset>();
        try
        {
            for (int i = 0; i < keys.Count; i++)
            {
                progress?.Report(new WorkProgress($"load {name}", i, keys.Count, keys[i].Name));
                parts.Add(TopImagesDataset.Open(keys[i], options, progress));
            }
            progress?.Report(new WorkProgress($"load {name}", keys.Count, keys.Count));
            return new MilannotationsDataset(name, parts);
        }
        catch
        {
            foreach (var part in parts) part.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var part in Parts) part.Dispose();
    }
}
