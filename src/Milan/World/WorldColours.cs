namespace Milan.World;

/// <summary>A named colour of the world; objects get it with a small per-object jitter.</summary>
public sealed record WorldColour(string Name, byte R, byte G, byte B);

/// <summary>The colour vocabulary: the palette objects, parts, backgrounds and text are painted from.</summary>
public static class WorldColours
{
    public static readonly IReadOnlyList<WorldColour> All =
    [
        new("red", 215, 40, 40),
        new("orange", 245, 135, 25),
        new("yellow", 245, 215, 45),
        new("green", 55, 165, 55),
        new("blue", 45, 95, 215),
        new("light blue", 150, 200, 240),
        new("purple", 135, 65, 190),
        new("pink", 245, 135, 185),
        new("brown", 135, 85, 45),
        new("black", 25, 25, 25),
        new("white", 240, 240, 240),
        new("gray", 128, 128, 128),
        new("beige", 240, 210, 175),
        new("tan", 205, 155, 105),
        new("dark brown", 85, 55, 35),
        new("teal", 25, 150, 150),
        new("navy", 25, 40, 110),
        new("olive", 115, 125, 35),
    ];

    /// <summary>The skin tones faces are painted in (each is also a colour concept).</summary>
    public static readonly IReadOnlyList<string> SkinTones = ["beige", "tan", "brown", "dark brown"];

    private static readonly Dictionary<string, WorldColour> ByName = All.ToDictionary(c => c.Name);

    public static WorldColour Named(string name) =>
        ByName.TryGetValue(name, out var colour) ? colour : throw new ArgumentException($"no colour named '{name}'", nameof(name));
}
