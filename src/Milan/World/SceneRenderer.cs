using SkiaSharp;

namespace Milan.World;

/// <summary>
/// Renders a <see cref="Scene"/> at any size: background bands, then objects in order, then words.
/// Pure: the same scene and size give the same bytes (all randomness lives in the scene's seeds).
/// </summary>
public static class SceneRenderer
{
    public static RenderedScene Render(Scene scene, int size)
    {
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), "images must be at least 8 px");
        var vocabulary = ConceptVocabulary.Default;
        using var canvas = new SceneCanvas(size);
        foreach (var region in scene.Background) PaintBackground(canvas, region, vocabulary);
        for (int i = 0; i < scene.Objects.Count; i++) CategoryShapes.Draw(canvas, scene.Objects[i], i + 1, vocabulary);
        foreach (var text in scene.Texts) PaintText(canvas, text, vocabulary);

        var layers = new byte[ConceptLayer.Count * size * size];
        for (int layer = 0; layer < ConceptLayer.Count; layer++)
            canvas.Layers[layer].CopyTo(layers, layer * size * size);
        return new RenderedScene(size, canvas.ImageBytes(), layers);
    }

    /// <summary>The pixel box a word occupies when rendered at <paramref name="size"/> (for placement and masks).</summary>
    public static SKRect TextBox(SceneText text, int size)
    {
        using var font = TextFont(text, size);
        font.MeasureText(text.Word, out var bounds);
        float x = (float)(text.X * size), y = (float)(text.Y * size);
        return new SKRect(x, y, x + bounds.Width, y + bounds.Height);
    }

    private static void PaintBackground(SceneCanvas canvas, BackgroundRegion region, ConceptVocabulary vocabulary)
    {
        int s = canvas.Size;
        var random = new WorldRandom(region.Seed);
        var colour = Shades.Jitter(region.Colour, random, 8);
        var area = new SKRect(0, (float)(region.Top * s), s, (float)(region.Bottom * s));
        using var band = new SKPath();
        band.AddRect(area);
        var labels = LabelWrite.None
            .Set(ConceptLayer.Category, 0).Set(ConceptLayer.Part, 0).Set(ConceptLayer.Instance, 0)
            .Set(ConceptLayer.Colour, vocabulary.Id(region.Colour))
            .Set(ConceptLayer.Texture, vocabulary.Id(region.Texture));
        canvas.Draw(band, colour, labels);
        var shade = region.Texture == "sky" ? Shades.Mix(colour, SKColors.White, 0.55) : Shades.Tint(colour);
        float period = s * (0.14f + 0.06f * (float)random.NextDouble());
        canvas.Paint(band, c => Patterns.Paint(c, region.Texture, area, shade, period, random, region.Orientation));
    }

    private static void PaintText(SceneCanvas canvas, SceneText text, ConceptVocabulary vocabulary)
    {
        using var font = TextFont(text, canvas.Size);
        font.MeasureText(text.Word, out var bounds);
        float x = (float)(text.X * canvas.Size) - bounds.Left;
        float baseline = (float)(text.Y * canvas.Size) - bounds.Top;
        var glyphs = LabelWrite.None.Set(ConceptLayer.Colour, vocabulary.Id(text.Colour));
        var box = canvas.DrawText(text.Word, font, x, baseline, Shades.Exact(text.Colour), glyphs);
        canvas.LabelBox(box, LabelWrite.None.Set(ConceptLayer.Text, vocabulary.Id(ConceptVocabulary.TextName)));
    }

    private static SKFont TextFont(SceneText text, int size) =>
        new(WorldFont.Typeface, (float)(text.FontSize * size)) { Subpixel = false, Hinting = SKFontHinting.None };
}
