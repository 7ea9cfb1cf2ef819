using SkiaSharp;

namespace Milan.World;

/// <summary>
/// Draws primitives twice: anti-aliased into the RGB image, and aliased into a coverage bitmap from
/// which the label-map layers are set. A label therefore covers exactly the pixels whose centre lies
/// inside the drawn shape, and later primitives overwrite earlier ones, as paint does.
/// </summary>
internal sealed class SceneCanvas : IDisposable
{
    private readonly SKBitmap _image;
    private readonly SKCanvas _imageCanvas;
    private readonly SKBitmap _coverage;
    private readonly SKCanvas _coverageCanvas;
    private readonly SKPaint _coveragePaint = new() { IsAntialias = false, Color = SKColors.White };

    public int Size { get; }

    /// <summary>Label layers, each Size*Size bytes in row-major order (see <see cref="ConceptLayer"/>).</summary>
    public byte[][] Layers { get; }

    public SKCanvas Image => _imageCanvas;

    public SceneCanvas(int size)
    {
        Size = size;
        _image = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        _imageCanvas = new SKCanvas(_image);
        _imageCanvas.Clear(SKColors.Black);
        _coverage = new SKBitmap(new SKImageInfo(size, size, SKColorType.Alpha8, SKAlphaType.Premul));
        _coverageCanvas = new SKCanvas(_coverage);
        Layers = Enumerable.Range(0, ConceptLayer.Count).Select(_ => new byte[size * size]).ToArray();
    }

    /// <summary>Fills (or strokes, when <paramref name="strokeWidth"/> > 0) a path in a colour and labels its pixels.</summary>
    public void Draw(SKPath path, SKColor colour, LabelWrite labels, float strokeWidth = 0)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = colour };
        if (strokeWidth > 0)
        {
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = strokeWidth;
            paint.StrokeCap = SKStrokeCap.Round;
        }
        _imageCanvas.DrawPath(path, paint);
        if (labels.IsEmpty) return;
        _coveragePaint.Style = paint.Style;
        _coveragePaint.StrokeWidth = strokeWidth;
        _coveragePaint.StrokeCap = SKStrokeCap.Round;
        Label(canvas => canvas.DrawPath(path, _coveragePaint), path.Bounds, strokeWidth, labels);
    }

    /// <summary>Paints into the image only, clipped to <paramref name="clip"/> (texture details, patterns, gradients).</summary>
    public void Paint(SKPath clip, Action<SKCanvas> paint)
    {
        _imageCanvas.Save();
        _imageCanvas.ClipPath(clip, SKClipOperation.Intersect, antialias: true);
        paint(_imageCanvas);
        _imageCanvas.Restore();
    }

    /// <summary>Draws a word; labels its glyph pixels with <paramref name="glyphLabels"/> and returns its pixel box.</summary>
    public SKRectI DrawText(string word, SKFont font, float x, float baseline, SKColor colour, LabelWrite glyphLabels)
    {
        using var paint = new SKPaint { IsAntialias = true, Color = colour };
        font.Edging = SKFontEdging.Antialias;
        _imageCanvas.DrawText(word, x, baseline, font, paint);
        font.MeasureText(word, out var bounds);
        bounds.Offset(x, baseline);
        _coveragePaint.Style = SKPaintStyle.Fill;
        font.Edging = SKFontEdging.Alias;
        Label(canvas => canvas.DrawText(word, x, baseline, font, _coveragePaint), bounds, 0, glyphLabels);
        font.Edging = SKFontEdging.Antialias;
        return Clamp(bounds, 0);
    }

    /// <summary>Sets labels on every pixel of a pixel box (the box is clamped to the image).</summary>
    public void LabelBox(SKRectI box, LabelWrite labels)
    {
        for (int y = Math.Max(0, box.Top); y < Math.Min(Size, box.Bottom); y++)
            for (int x = Math.Max(0, box.Left); x < Math.Min(Size, box.Right); x++)
                Write(y * Size + x, labels);
    }

    /// <summary>The image as (3, S, S) bytes, channel-major (the npy layout).</summary>
    public byte[] ImageBytes()
    {
        var rgba = _image.GetPixelSpan();
        int pixels = Size * Size;
        var chw = new byte[3 * pixels];
        for (int i = 0; i < pixels; i++)
        {
            chw[i] = rgba[4 * i];
            chw[pixels + i] = rgba[4 * i + 1];
            chw[2 * pixels + i] = rgba[4 * i + 2];
        }
        return chw;
    }

    private void Label(Action<SKCanvas> draw, SKRect bounds, float strokeWidth, LabelWrite labels)
    {
        var box = Clamp(bounds, strokeWidth / 2 + 1);
        if (box.Width <= 0 || box.Height <= 0) return;
        _coverageCanvas.Save();
        _coverageCanvas.ClipRect(new SKRect(box.Left, box.Top, box.Right, box.Bottom));
        _coverageCanvas.Clear(SKColors.Transparent);
        draw(_coverageCanvas);
        _coverageCanvas.Restore();
        var coverage = _coverage.GetPixelSpan();
        int stride = _coverage.RowBytes;
        for (int y = box.Top; y < box.Bottom; y++)
            for (int x = box.Left; x < box.Right; x++)
                if (coverage[y * stride + x] >= 128) Write(y * Size + x, labels);
    }

    private void Write(int pixel, LabelWrite labels)
    {
        for (int layer = 0; layer < ConceptLayer.Count; layer++)
            if (labels[layer] >= 0) Layers[layer][pixel] = (byte)labels[layer];
    }

    private SKRectI Clamp(SKRect bounds, float pad) => new(
        Math.Clamp((int)Math.Floor(bounds.Left - pad), 0, Size),
        Math.Clamp((int)Math.Floor(bounds.Top - pad), 0, Size),
        Math.Clamp((int)Math.Ceiling(bounds.Right + pad), 0, Size),
        Math.Clamp((int)Math.Ceiling(bounds.Bottom + pad), 0, Size));

    public void Dispose()
    {
        _coveragePaint.Dispose();
        _coverageCanvas.Dispose();
        _coverage.Dispose();
        _imageCanvas.Dispose();
        _image.Dispose();
    }
}
