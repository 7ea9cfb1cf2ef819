using Milan.Datasets;
using Milan.IO;
using SkiaSharp;

namespace Milan.World;

/// <summary>
/// PNG sheets for looking at a generated world: a contact sheet (each scene beside its label maps,
/// with the concepts present named under each map) and a class sheet (a row of samples per class).
/// </summary>
public static class WorldSheets
{
    private static readonly SKColor[] Distinct =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(188, 189, 34), new(23, 190, 207), new(174, 199, 232),
        new(255, 187, 120), new(152, 223, 138), new(255, 152, 150), new(197, 176, 213), new(196, 156, 148),
        new(247, 182, 210), new(219, 219, 141), new(158, 218, 229), new(255, 255, 255), new(127, 127, 127),
    ];

    private static readonly (string Title, int Layer)[] Columns =
    [
        ("image", -1), ("category", ConceptLayer.Category), ("part", ConceptLayer.Part), ("colour", ConceptLayer.Colour),
        ("texture", ConceptLayer.Texture), ("text", ConceptLayer.Text),
    ];

    /// <summary>Scenes <paramref name="start"/>.. of a mask split, one row each: the image and its label maps.</summary>
    public static void ContactSheet(string splitFolder, string pngPath, int count = 8, int start = 0, int cell = 128)
    {
        using var masks = new WorldConceptMasks(splitFolder);
        using var images = new NpyImageSource(splitFolder);
        count = Math.Min(count, masks.Count - start);
        if (count <= 0) throw new MilanInputException($"--start {start}: the split has only {masks.Count} images");
        var vocabulary = masks.Vocabulary;
        const int pad = 6, line = 13, legendLines = 6, header = 22;
        int rowHeight = cell + legendLines * line + 2 * pad;
        int width = Columns.Length * (cell + pad) + pad, height = header + count * rowHeight;
        using var sheet = new SKBitmap(width, height);
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(new SKColor(30, 30, 30));
        using var font = new SKFont(WorldFont.Typeface, 11);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        for (int c = 0; c < Columns.Length; c++)
            canvas.DrawText(Columns[c].Title, pad + c * (cell + pad), 15, font, white);

        int s = masks.ImageSize, pixels = s * s;
        for (int row = 0; row < count; row++)
        {
            int index = start + row;
            float top = header + row * rowHeight;
            var scene = masks.Scene(index);
            var layers = masks.LayerBytes(index);
            using var imageTensor = images.ReadBytes([index]);
            var image = imageTensor.bytes.ToArray();
            for (int c = 0; c < Columns.Length; c++)
            {
                var (_, layer) = Columns[c];
                var rgb = new byte[3 * pixels];
                var present = new SortedSet<int>();
                for (int p = 0; p < pixels; p++)
                {
                    SKColor colour;
                    if (layer < 0) colour = new SKColor(image[p], image[pixels + p], image[2 * pixels + p]);
                    else
                    {
                        int id = layers[layer * pixels + p];
                        if (id != 0) present.Add(id);
                        colour = id == 0 ? new SKColor(45, 45, 45)
                            : layer == ConceptLayer.Colour ? Shades.Exact(vocabulary[id].Name)
                            : layer == ConceptLayer.Text ? SKColors.White
                            : Distinct[id % Distinct.Length];
                    }
                    rgb[p] = colour.Red;
                    rgb[pixels + p] = colour.Green;
                    rgb[2 * pixels + p] = colour.Blue;
                }
                float left = pad + c * (cell + pad);
                DrawImage(canvas, rgb, s, new SKRect(left, top + pad, left + cell, top + pad + cell));
                var legend = layer < 0
                    ? [($"#{index} {scene.ClassName}", SKColors.White), .. scene.Relations.Where(r => r.Subject < r.Object || r.Relation == "inside")
                        .Select(r => ($"{scene.Objects[r.Subject].Category} {r.Relation} {scene.Objects[r.Object].Category}", new SKColor(200, 200, 200)))]
                    : present.Select(id => (vocabulary[id].Name, layer == ConceptLayer.Colour ? Shades.Exact(vocabulary[id].Name)
                        : layer == ConceptLayer.Text ? SKColors.White : Distinct[id % Distinct.Length])).ToList();
                for (int k = 0; k < Math.Min(legend.Count, legendLines); k++)
                {
                    float baseline = top + pad + cell + line * (k + 1);
                    if (layer < 0)
                    {
                        using var paint = new SKPaint { Color = legend[k].Item2, IsAntialias = true };
                        canvas.DrawText(Clip(legend[k].Item1, font, cell), left, baseline, font, paint);
                        continue;
                    }
                    // A swatch in the map's colour (with a grey rim, so black shows) before the name.
                    using var swatch = new SKPaint { Color = legend[k].Item2 };
                    using var rim = new SKPaint { Color = new SKColor(160, 160, 160), Style = SKPaintStyle.Stroke };
                    canvas.DrawRect(left, baseline - 9, 9, 9, swatch);
                    canvas.DrawRect(left, baseline - 9, 9, 9, rim);
                    canvas.DrawText(Clip(legend[k].Item1, font, cell - 12), left + 12, baseline, font, white);
                }
            }
        }
        Save(sheet, pngPath);
    }

    /// <summary>A row of the first <paramref name="perClass"/> images of each class of a split.</summary>
    public static void ClassSheet(string splitFolder, string pngPath, int perClass = 10, int cell = 96)
    {
        using var images = new NpyImageSource(splitFolder);
        if (images.ClassNames.Count == 0) throw MilanInputException.InFile(splitFolder, "the split has no labels");
        const int pad = 4, labelWidth = 90;
        int classes = images.ClassNames.Count;
        using var sheet = new SKBitmap(labelWidth + perClass * (cell + pad) + pad, classes * (cell + pad) + pad);
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(new SKColor(30, 30, 30));
        using var font = new SKFont(WorldFont.Typeface, 13);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        var byClass = Enumerable.Range(0, images.Count).GroupBy(i => (int)images.Label(i)).ToDictionary(g => g.Key, g => g.Take(perClass).ToArray());
        for (int label = 0; label < classes; label++)
        {
            float top = pad + label * (cell + pad);
            canvas.DrawText(images.ClassNames[label], pad, top + cell / 2f, font, white);
            if (!byClass.TryGetValue(label, out var indices)) continue;
            using var batch = images.ReadBytes(indices);
            var bytes = batch.bytes.ToArray();
            int size = images.ImageSize, length = 3 * size * size;
            for (int k = 0; k < indices.Length; k++)
            {
                float left = labelWidth + k * (cell + pad);
                DrawImage(canvas, bytes.AsSpan(k * length, length).ToArray(), size, new SKRect(left, top, left + cell, top + cell));
            }
        }
        Save(sheet, pngPath);
    }

    private static void DrawImage(SKCanvas canvas, byte[] chw, int size, SKRect target)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[4 * size * size];
        int n = size * size;
        for (int p = 0; p < n; p++)
        {
            pixels[4 * p] = chw[p];
            pixels[4 * p + 1] = chw[n + p];
            pixels[4 * p + 2] = chw[2 * n + p];
            pixels[4 * p + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, target, new SKSamplingOptions(SKFilterMode.Nearest));
    }

    private static string Clip(string text, SKFont font, float width)
    {
        while (text.Length > 3 && font.MeasureText(text) > width) text = text[..^2] + "…";
        return text;
    }

    private static void Save(SKBitmap sheet, string pngPath)
    {
        using var image = SKImage.FromBitmap(sheet);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(pngPath, data.ToArray());
    }
}
