namespace Milan.World;

/// <summary>
/// A small deterministic random generator (SplitMix64) with the draws the scene grammar needs.
/// Its sequence is fixed by this code alone (unlike System.Random's seeded algorithm, which .NET may
/// change), so the same seed gives the same world on every machine and runtime.
/// </summary>
public sealed class WorldRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A seed derived from a base seed and a path of names and numbers (e.g. dataset, split, index).</summary>
    public static ulong Derive(long seed, params object[] path)
    {
        ulong hash = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var part in path)
        {
            ulong value = part switch
            {
                string text => Fnv1a(text),
                int number => (ulong)number,
                long number => (ulong)number,
                _ => throw new ArgumentException($"seed path parts must be strings or integers, got {part.GetType().Name}"),
            };
            hash = Mix(hash ^ Mix(value + 0x632BE59BD9B4E019UL));
        }
        return hash;
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, count).</summary>
    public int Next(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count));
        return (int)(NextUInt64() % (ulong)count);
    }

    /// <summary>Uniform integer in [low, high] (both included).</summary>
    public int Between(int low, int high) => low + Next(high - low + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks by weight; weights need not sum to one.</summary>
    public T Pick<T>(IReadOnlyList<Weighted<T>> items)
    {
        double total = items.Sum(i => i.Weight);
        double point = NextDouble() * total;
        foreach (var item in items)
        {
            point -= item.Weight;
            if (point < 0) return item.Value;
        }
        return items[^1].Value;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}

/// <summary>A value with a relative weight, for weighted choices in scene-class definitions.</summary>
public readonly record struct Weighted<T>(T Value, double Weight);
