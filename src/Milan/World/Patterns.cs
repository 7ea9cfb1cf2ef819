using SkiaSharp;

namespace Milan.World;

/// <summary>
/// The detail strokes of textures, painted over a base colour (image only; the caller labels the
/// region). Sizes scale with <c>period</c> so a texture looks the same at every image size.
/// </summary>
internal static class Patterns
{
    public static void Paint(SKCanvas canvas, string texture, SKRect area, SKColor shade, float period, WorldRandom random, int orientation = 0)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = shade };
        period = Math.Max(period, 2f);
        switch (texture)
        {
            case "plain":
                break;
            case "stripes":
                Stripes(canvas, area, paint, period, orientation);
                break;
            case "dots":
                for (int row = 0; area.Top + row * period <= area.Bottom + period; row++)
                    for (float x = area.Left + (row % 2) * period / 2; x <= area.Right + period; x += period)
                        canvas.DrawCircle(x, area.Top + row * period + period / 2, period * 0.24f, paint);
                break;
            case "checkerboard":
                for (int row = 0; area.Top + row * period < area.Bottom; row++)
                    for (int col = row % 2; area.Left + col * period < area.Right; col += 2)
                        canvas.DrawRect(area.Left + col * period, area.Top + row * period, period, period, paint);
                break;
            case "grid":
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1f, period / 8);
                for (float x = area.Left + period / 2; x < area.Right; x += period) canvas.DrawLine(x, area.Top, x, area.Bottom, paint);
                for (float y = area.Top + period / 2; y < area.Bottom; y += period) canvas.DrawLine(area.Left, y, area.Right, y, paint);
                break;
            case "bricks":
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1f, period / 10);
                float brickHeight = period / 2;
                for (int row = 0; area.Top + row * brickHeight < area.Bottom; row++)
                {
                    float y = area.Top + row * brickHeight;
                    canvas.DrawLine(area.Left, y, area.Right, y, paint);
                    for (float x = area.Left + (row % 2) * period / 2; x < area.Right; x += period)
                        canvas.DrawLine(x, y, x, y + brickHeight, paint);
                }
                break;
            case "grass":
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1f, period / 12);
                paint.StrokeCap = SKStrokeCap.Round;
                int blades = (int)(area.Width * area.Height / (period * period) * 9);
                for (int k = 0; k < blades; k++)
                {
                    float x = (float)random.Uniform(area.Left, area.Right);
                    float y = (float)random.Uniform(area.Top + period / 3, area.Bottom + period / 3);
                    float lean = (float)random.Uniform(-0.3, 0.3) * period;
                    paint.Color = k % 3 == 0 ? Shades.Mix(shade, SKColors.White, 0.25) : shade;
                    canvas.DrawLine(x, y, x + lean, y - period * 0.45f, paint);
                }
                break;
            case "water":
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1f, period / 7);
                float phase = (float)random.Uniform(0, period);
                for (float y = area.Top + period * 0.4f; y < area.Bottom; y += period * 0.75f)
                {
                    using var wave = new SKPath();
                    wave.MoveTo(area.Left - period, y);
                    for (float x = area.Left - period + phase; x < area.Right + period; x += period)
                    {
                        wave.QuadTo(x + period / 4, y - period * 0.18f, x + period / 2, y);
                        wave.QuadTo(x + period * 3 / 4, y + period * 0.18f, x + period, y);
                    }
                    canvas.DrawPath(wave, paint);
                    phase = (phase + period * 0.37f) % period;
                }
                break;
            case "sky":
                using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, area.Top), new SKPoint(0, area.Bottom),
                           [SKColors.Transparent, shade.WithAlpha(230)], SKShaderTileMode.Clamp))
                {
                    paint.Shader = shader;
                    canvas.DrawRect(area, paint);
                }
                break;
            case "sand":
                int grains = (int)(area.Width * area.Height / (period * period) * 40);
                float grain = Math.Max(1f, period / 9);
                for (int k = 0; k < grains; k++)
                {
                    paint.Color = k % 2 == 0 ? shade : Shades.Mix(shade, SKColors.White, 0.4);
                    canvas.DrawRect((float)random.Uniform(area.Left, area.Right), (float)random.Uniform(area.Top, area.Bottom), grain, grain, paint);
                }
                break;
            case "wood":
                // Planks: seams between boards, staggered butt joints, and a few grain lines.
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1f, period / 10);
                float plank = period * 0.6f;
                for (int row = 0; area.Top + row * plank < area.Bottom; row++)
                {
                    float y = area.Top + row * plank;
                    canvas.DrawLine(area.Left, y, area.Right, y, paint);
                    float joint = area.Left + (float)random.Uniform(0, 2.5 * period);
                    for (; joint < area.Right; joint += 2.5f * period) canvas.DrawLine(joint, y, joint, y + plank, paint);
                    using var grainPaint = new SKPaint { IsAntialias = true, Color = shade.WithAlpha(110), Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(1f, period / 16) };
                    float gy = y + plank * (float)random.Uniform(0.35, 0.65);
                    canvas.DrawLine(area.Left, gy, area.Right, gy + (float)random.Uniform(-0.1, 0.1) * plank, grainPaint);
                }
                break;
            case "zigzag":
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeWidth = Math.Max(1f, period / 5);
                for (float y = area.Top; y < area.Bottom + period; y += period * 0.7f)
                {
                    using var zig = new SKPath();
                    zig.MoveTo(area.Left - period, y);
                    for (float x = area.Left - period; x < area.Right + period; x += period)
                    {
                        zig.LineTo(x + period / 2, y - period * 0.3f);
                        zig.LineTo(x + period, y);
                    }
                    canvas.DrawPath(zig, paint);
                }
                break;
            default:
                throw new ArgumentException($"no painter for texture '{texture}'");
        }
    }

    private static void Stripes(SKCanvas canvas, SKRect area, SKPaint paint, float period, int orientation)
    {
        canvas.Save();
        var center = new SKPoint(area.MidX, area.MidY);
        if (orientation == 2) canvas.RotateDegrees(45, center.X, center.Y);
        if (orientation == 3) canvas.RotateDegrees(-45, center.X, center.Y);
        float reach = Math.Max(area.Width, area.Height) * 1.5f;
        bool vertical = orientation == 1;
        for (float t = -reach; t < reach; t += period)
        {
            if (vertical) canvas.DrawRect(center.X + t, center.Y - reach, period / 2, 2 * reach, paint);
            else canvas.DrawRect(center.X - reach, center.Y + t, 2 * reach, period / 2, paint);
        }
        canvas.Restore();
    }
}
