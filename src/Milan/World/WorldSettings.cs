namespace Milan.World;

/// <summary>
/// Sizes of a generated world. Masks are stored only for <see cref="MaskSplits"/> (the splits that
/// are probed: exemplars are computed on val, as the reference computes them on ImageNet val); the
/// training split keeps its scene records, from which its masks can be re-rendered.
/// </summary>
public sealed record WorldSettings(int ImageSize, int TrainCount, int ValCount, int TestCount, long Seed = 1)
{
    public static readonly IReadOnlyList<string> SplitNames = ["train", "val", "test"];

    public IReadOnlyList<string> MaskSplits { get; init; } = ["val", "test"];

    /// <summary>tiny: 32 px, a few hundred images (seconds); demo: 64 px, enough for ResNet18 to learn; paper: 224 px.</summary>
    public static WorldSettings For(Profile profile) => profile.Choose(
        tiny: new WorldSettings(32, 300, 100, 100),
        demo: new WorldSettings(64, 6000, 1000, 1000),
        paper: new WorldSettings(224, 50000, 10000, 10000));

    public int Count(string split) => split switch
    {
        "train" => TrainCount,
        "val" => ValCount,
        "test" => TestCount,
        _ => throw new ArgumentException($"unknown split '{split}'; expected train, val or test", nameof(split)),
    };

    public void Validate()
    {
        if (ImageSize < 16) throw new MilanInputException($"image size {ImageSize}: expected at least 16 px");
        if (TrainCount < 0 || ValCount < 0 || TestCount < 0) throw new MilanInputException("split sizes must not be negative");
        var unknown = MaskSplits.Except(SplitNames).ToArray();
        if (unknown.Length > 0) throw new MilanInputException($"mask splits {string.Join(", ", unknown)}: expected train, val or test");
    }
}
