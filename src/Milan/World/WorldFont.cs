using SkiaSharp;

namespace Milan.World;

/// <summary>
/// DejaVu Sans Bold, the font the world writes text with. The file ships in data/bundled/fonts/ and
/// is embedded into this assembly, so rendering needs no system font and gives the same glyphs on
/// every machine (a system DejaVu of another version could shift pixels and break determinism).
/// </summary>
public static class WorldFont
{
    private const string ResourceName = "Milan.World.DejaVuSans-Bold.ttf";

    private static readonly Lazy<SKTypeface> Loaded = new(Load);

    public static SKTypeface Typeface => Loaded.Value;

    private static SKTypeface Load()
    {
        using var stream = typeof(WorldFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"font resource {ResourceName} missing from {typeof(WorldFont).Assembly.Location}; rebuild from a clone that has data/bundled/fonts/DejaVuSans-Bold.ttf");
        var data = new MemoryStream();
        stream.CopyTo(data);
        data.Position = 0;
        return SKTypeface.FromStream(data)
            ?? throw new InvalidOperationException($"font resource {ResourceName} could not be read as a TrueType font");
    }
}
