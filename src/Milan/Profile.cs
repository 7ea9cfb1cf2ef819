namespace Milan;

/// <summary>
/// The scale of a run. One pipeline, three sizes: <see cref="Tiny"/> for tests (seconds per stage on
/// 2 CPU cores), <see cref="Demo"/> (the default; everything on a laptop CPU in minutes) and
/// <see cref="Paper"/> (the paper's sizes, for a GPU and real data). No algorithm differs between
/// profiles; each stage maps the profile to its own sizes (e.g. WorldSettings.For(profile)).
/// </summary>
public sealed record Profile(string Name)
{
    public static readonly Profile Tiny = new("tiny");
    public static readonly Profile Demo = new("demo");
    public static readonly Profile Paper = new("paper");

    public static IReadOnlyList<Profile> All { get; } = [Tiny, Demo, Paper];

    public static Profile Parse(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new MilanInputException($"--profile {name}: expected tiny, demo or paper");

    /// <summary>Picks the value for this profile.</summary>
    public T Choose<T>(T tiny, T demo, T paper) => Name switch
    {
        "tiny" => tiny,
        "demo" => demo,
        "paper" => paper,
        _ => throw new InvalidOperationException($"unknown profile {Name}"),
    };

    public override string ToString() => Name;
}
