using SkiaSharp;

namespace Milan.World;

/// <summary>
/// Maps an object's local coordinates (its box is [-w/2, w/2] x [-h/2, h/2] in units of its size,
/// x mirrored when flipped) to pixels, and builds paths there.
/// </summary>
internal readonly struct ShapeFrame(double centerX, double centerY, double side, bool flip)
{
    public float Side => (float)side;

    public SKPoint Point(double u, double v) => new((float)(centerX + (flip ? -u : u) * side), (float)(centerY + v * side));

    public float Length(double u) => (float)(u * side);

    public SKPath Circle(double u, double v, double r)
    {
        var path = new SKPath();
        var c = Point(u, v);
        path.AddCircle(c.X, c.Y, Length(r));
        return path;
    }

    public SKPath Oval(double u, double v, double ru, double rv)
    {
        var path = new SKPath();
        var c = Point(u, v);
        path.AddOval(new SKRect(c.X - Length(ru), c.Y - Length(rv), c.X + Length(ru), c.Y + Length(rv)));
        return path;
    }

    public SKPath Rect(double u0, double v0, double u1, double v1) =>
        Polygon((u0, v0), (u1, v0), (u1, v1), (u0, v1));

    public SKPath Polygon(params (double U, double V)[] points)
    {
        var path = new SKPath();
        path.MoveTo(Point(points[0].U, points[0].V));
        foreach (var (u, v) in points.Skip(1)) path.LineTo(Point(u, v));
        path.Close();
        return path;
    }

    public SKPath Line(params (double U, double V)[] points)
    {
        var path = new SKPath();
        path.MoveTo(Point(points[0].U, points[0].V));
        foreach (var (u, v) in points.Skip(1)) path.LineTo(Point(u, v));
        return path;
    }

    /// <summary>A smooth open curve through the points (quadratic segments between midpoints).</summary>
    public SKPath Curve(params (double U, double V)[] points)
    {
        var path = new SKPath();
        path.MoveTo(Point(points[0].U, points[0].V));
        for (int i = 1; i < points.Length - 1; i++)
        {
            var mid = Point((points[i].U + points[i + 1].U) / 2, (points[i].V + points[i + 1].V) / 2);
            path.QuadTo(Point(points[i].U, points[i].V), i == points.Length - 2 ? Point(points[^1].U, points[^1].V) : mid);
        }
        return path;
    }

    public static SKPath Union(params SKPath[] paths)
    {
        var result = new SKPath(paths[0]);
        foreach (var path in paths.Skip(1))
        {
            var next = result.Op(path, SKPathOp.Union) ?? throw new InvalidOperationException("path union failed");
            result.Dispose();
            result = next;
        }
        foreach (var path in paths) path.Dispose();
        return result;
    }
}
