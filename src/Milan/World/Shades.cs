using SkiaSharp;

namespace Milan.World;

/// <summary>Colour arithmetic for painting: per-object jitter and lighter/darker tints of a named colour.</summary>
internal static class Shades
{
    /// <summary>The named colour moved by up to ±<paramref name="amount"/> per channel.</summary>
    public static SKColor Jitter(string name, WorldRandom random, int amount = 12)
    {
        var c = WorldColours.Named(name);
        byte Move(byte v) => (byte)Math.Clamp(v + random.Between(-amount, amount), 0, 255);
        return new SKColor(Move(c.R), Move(c.G), Move(c.B));
    }

    public static SKColor Exact(string name)
    {
        var c = WorldColours.Named(name);
        return new SKColor(c.R, c.G, c.B);
    }

    public static SKColor Mix(SKColor a, SKColor b, double t) => new(
        (byte)Math.Round(a.Red + (b.Red - a.Red) * t),
        (byte)Math.Round(a.Green + (b.Green - a.Green) * t),
        (byte)Math.Round(a.Blue + (b.Blue - a.Blue) * t));

    public static double Luminance(SKColor c) => (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue) / 255.0;

    /// <summary>A second shade of the same colour for textures and patterns: lighter for dark colours, darker for light ones.</summary>
    public static SKColor Tint(SKColor c, double amount = 0.35) =>
        Luminance(c) > 0.62 ? Mix(c, SKColors.Black, amount * 0.7) : Mix(c, SKColors.White, amount);
}
