namespace Milan.World;

/// <summary>
/// One scene, completely specified in coordinates relative to the image side (0..1), so that the
/// same scene renders at any size. <see cref="Objects"/> are in drawing order (later on top); an
/// object's instance number in the label maps is its index + 1.
/// </summary>
public sealed record Scene(
    int Label,
    string ClassName,
    IReadOnlyList<BackgroundRegion> Background,
    IReadOnlyList<SceneObject> Objects,
    IReadOnlyList<SceneText> Texts,
    IReadOnlyList<SceneRelation> Relations)
{
    public Scene WithText(SceneText text) => this with { Texts = [.. Texts, text] };
}

/// <summary>
/// A horizontal band of the background from <see cref="Top"/> to <see cref="Bottom"/> (0..1) with a
/// texture painted in a colour; <see cref="Seed"/> drives the texture's random details.
/// </summary>
public sealed record BackgroundRegion(string Texture, string Colour, double Top, double Bottom, int Orientation, ulong Seed);

/// <summary>
/// An object: category, main colour and, for some categories, an accent colour (roof of a house,
/// hair of a face, sail of a boat; null when absent). (X, Y) is the centre of its box, Size the side
/// of the square its shape is drawn in; Pattern is null or a texture painted inside its body.
/// </summary>
public sealed record SceneObject(
    string Category,
    string Colour,
    string? Accent,
    double X,
    double Y,
    double Size,
    bool Flip,
    string? Pattern,
    ulong Seed)
{
    /// <summary>The box the object's shape occupies, relative to the image side.</summary>
    public Box Bounds
    {
        get
        {
            var (w, h) = CategoryShapes.Extent(Category);
            return new Box(X - w * Size / 2, Y - h * Size / 2, X + w * Size / 2, Y + h * Size / 2);
        }
    }
}

/// <summary>A word drawn at (X, Y) (top-left of its box) with a font size relative to the image side.</summary>
public sealed record SceneText(string Word, string Colour, double X, double Y, double FontSize, bool Spurious);

/// <summary>Object <see cref="Subject"/> stands in <see cref="Relation"/> to object <see cref="Object"/> (0-based indices).</summary>
public sealed record SceneRelation(int Subject, string Relation, int Object);

/// <summary>An axis-aligned box in relative coordinates.</summary>
public readonly record struct Box(double Left, double Top, double Right, double Bottom)
{
    public double Width => Right - Left;
    public double Height => Bottom - Top;
    public double CenterX => (Left + Right) / 2;
    public double CenterY => (Top + Bottom) / 2;

    public bool Overlaps(Box other, double margin = 0) =>
        Left < other.Right + margin && other.Left < Right + margin && Top < other.Bottom + margin && other.Top < Bottom + margin;

    public bool Within(Box other, double tolerance = 0) =>
        Left >= other.Left - tolerance && Right <= other.Right + tolerance && Top >= other.Top - tolerance && Bottom <= other.Bottom + tolerance;

    /// <summary>Distance between the boxes (0 when they touch or overlap).</summary>
    public double Gap(Box other)
    {
        double dx = Math.Max(0, Math.Max(other.Left - Right, Left - other.Right));
        double dy = Math.Max(0, Math.Max(other.Top - Bottom, Top - other.Bottom));
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
