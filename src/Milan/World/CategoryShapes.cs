using SkiaSharp;

namespace Milan.World;

/// <summary>
/// How each category is drawn: its box (width and height in units of the object's size) and its
/// primitives with their labels (body, then parts on top). Part colours are fixed by the category
/// (eyes black, door dark brown, ...) or come from the object's accent colour (roof, hair, sail).
/// </summary>
internal static class CategoryShapes
{
    /// <summary>Categories that may carry a texture pattern inside their body.</summary>
    public static readonly IReadOnlySet<string> Patternable = new HashSet<string> { "circle", "square", "triangle", "star", "heart", "kite" };

    public static (double Width, double Height) Extent(string category) => category switch
    {
        "triangle" => (1.0, 0.9),
        "star" => (1.0, 0.95),
        "heart" => (1.0, 0.92),
        "house" => (0.8, 1.0),
        "tree" => (0.72, 1.0),
        "car" => (1.0, 0.6),
        "fish" => (1.0, 0.5),
        "flower" => (0.56, 1.0),
        "face" => (0.8, 1.0),
        "boat" => (1.0, 0.9),
        "cloud" => (0.92, 0.6),
        "plant" => (0.5, 1.0),
        "balloon" => (0.6, 1.0),
        "bird" => (1.0, 0.7),
        "butterfly" => (1.0, 0.8),
        "cat" => (0.8, 1.0),
        "umbrella" => (1.0, 0.9),
        "kite" => (0.7, 1.0),
        "mountain" => (1.0, 0.8),
        "bus" => (1.0, 0.56),
        "fence" => (1.0, 0.5),
        "apple" => (0.9, 1.0),
        "crab" => (1.0, 0.6),
        "airplane" => (1.0, 0.6),
        _ => (1.0, 1.0),
    };

    public static void Draw(SceneCanvas canvas, SceneObject o, int instance, ConceptVocabulary vocabulary)
    {
        var random = new WorldRandom(o.Seed);
        var frame = new ShapeFrame(o.X * canvas.Size, o.Y * canvas.Size, o.Size * canvas.Size, o.Flip);
        var main = Shades.Jitter(o.Colour, random);
        var body = LabelWrite.None
            .Set(ConceptLayer.Category, vocabulary.Id(o.Category))
            .Set(ConceptLayer.Instance, instance)
            .Set(ConceptLayer.Part, 0)
            .Set(ConceptLayer.Colour, vocabulary.Id(o.Colour))
            .Set(ConceptLayer.Texture, o.Pattern is null ? 0 : vocabulary.Id(o.Pattern));
        var painter = new PartPainter(canvas, vocabulary, body, random);

        switch (o.Category)
        {
            case "circle":
                painter.Body(frame.Circle(0, 0, 0.5), main, o.Pattern);
                break;
            case "square":
                painter.Body(frame.Rect(-0.5, -0.5, 0.5, 0.5), main, o.Pattern);
                break;
            case "triangle":
                painter.Body(frame.Polygon((0, -0.45), (0.5, 0.45), (-0.5, 0.45)), main, o.Pattern);
                break;
            case "star":
                painter.Body(Star(frame), main, o.Pattern);
                break;
            case "heart":
                painter.Body(ShapeFrame.Union(frame.Circle(-0.22, -0.2, 0.26), frame.Circle(0.22, -0.2, 0.26),
                    frame.Polygon((-0.46, -0.1), (0.46, -0.1), (0, 0.46))), main, o.Pattern);
                break;
            case "ring":
                var ring = frame.Circle(0, 0, 0.5);
                ring.AddCircle(frame.Point(0, 0).X, frame.Point(0, 0).Y, frame.Length(0.31));
                ring.FillType = SKPathFillType.EvenOdd;
                painter.Body(ring, main, null);
                break;
            case "house":
                painter.Body(frame.Rect(-0.34, -0.06, 0.34, 0.5), main, null);
                painter.Part(frame.Polygon((0, -0.5), (0.4, -0.06), (-0.4, -0.06)), "roof", o.Accent ?? "red");
                painter.Part(frame.Rect(-0.09, 0.2, 0.09, 0.5), "door", "dark brown");
                string windowColour = o.Accent == "navy" ? "yellow" : "light blue";
                painter.Part(frame.Rect(0.14, 0.06, 0.28, 0.2), "window", windowColour);
                painter.Part(frame.Rect(-0.28, 0.06, -0.14, 0.2), "window", windowColour);
                break;
            case "tree":
                painter.Part(frame.Rect(-0.07, 0.05, 0.07, 0.5), "trunk", "brown");
                painter.Part(ShapeFrame.Union(frame.Circle(0, -0.18, 0.32), frame.Circle(-0.15, -0.02, 0.2), frame.Circle(0.15, -0.02, 0.2)), "treetop", o.Colour, main);
                break;
            case "car":
                painter.Body(ShapeFrame.Union(frame.Rect(-0.5, -0.06, 0.5, 0.18), frame.Polygon((-0.3, -0.06), (-0.2, -0.3), (0.18, -0.3), (0.3, -0.06))), main, null);
                painter.Part(frame.Polygon((-0.2, -0.08), (-0.14, -0.25), (-0.03, -0.25), (-0.03, -0.08)), "window", "light blue");
                painter.Part(frame.Polygon((0.02, -0.08), (0.02, -0.25), (0.14, -0.25), (0.22, -0.08)), "window", "light blue");
                painter.Part(frame.Circle(-0.28, 0.18, 0.12), "wheels", "black");
                painter.Part(frame.Circle(0.28, 0.18, 0.12), "wheels", "black");
                break;
            case "fish":
                painter.Body(frame.Oval(0.08, 0, 0.38, 0.24), main, null);
                painter.Part(frame.Polygon((-0.22, 0), (-0.5, -0.22), (-0.5, 0.22)), "tail", o.Colour, Shades.Tint(main, 0.2));
                painter.Detail(frame.Circle(0.28, -0.06, 0.055), "black");
                break;
            case "flower":
                painter.Part(frame.Rect(-0.035, -0.1, 0.035, 0.5), "stem", "green");
                painter.Part(ShapeFrame.Union(Enumerable.Range(0, 6).Select(k =>
                    frame.Circle(0.16 * Math.Cos(k * Math.PI / 3), -0.22 + 0.16 * Math.Sin(k * Math.PI / 3), 0.11)).ToArray()), "petals", o.Colour, main);
                painter.Detail(frame.Circle(0, -0.22, 0.09), o.Colour == "yellow" ? "brown" : "yellow");
                break;
            case "face":
                painter.Body(frame.Oval(0, 0.04, 0.36, 0.45), main, null);
                if (o.Accent is not null)
                {
                    using var head = frame.Oval(0, 0.02, 0.4, 0.48);
                    using var top = frame.Rect(-0.5, -0.5, 0.5, -0.16);
                    painter.Part(head.Op(top, SKPathOp.Intersect)!, "hair", o.Accent);
                }
                painter.Part(ShapeFrame.Union(frame.Circle(-0.14, -0.02, 0.07), frame.Circle(0.14, -0.02, 0.07)), "eyes", "black");
                painter.Part(frame.Oval(0, 0.24, 0.15, 0.065), "mouth", "red");
                break;
            case "boat":
                // The hull is the boat's body, labelled as its part so that "hulls" can be seen (as a tree is its trunk and top).
                painter.Part(frame.Polygon((-0.5, 0.12), (0.5, 0.12), (0.34, 0.45), (-0.34, 0.45)), "hull", o.Colour, main);
                painter.Detail(frame.Rect(-0.025, -0.45, 0.025, 0.12), "brown");
                painter.Part(frame.Polygon((0.05, -0.42), (0.05, 0.06), (0.42, 0.06)), "sail", o.Accent ?? "white");
                painter.Part(frame.Polygon((-0.05, -0.3), (-0.05, 0.06), (-0.32, 0.06)), "sail", o.Accent ?? "white");
                break;
            case "sun":
                painter.Body(frame.Circle(0, 0, 0.3), main, null);
                for (int k = 0; k < 8; k++)
                {
                    double a = k * Math.PI / 4;
                    painter.Stroke(frame.Line((0.37 * Math.Cos(a), 0.37 * Math.Sin(a)), (0.48 * Math.Cos(a), 0.48 * Math.Sin(a))), main, frame.Length(0.07));
                }
                break;
            case "cloud":
                painter.Body(ShapeFrame.Union(frame.Circle(-0.24, 0.06, 0.2), frame.Circle(0, -0.04, 0.26), frame.Circle(0.24, 0.06, 0.2),
                    frame.Rect(-0.24, 0.04, 0.24, 0.26)), main, null);
                break;
            case "plant":
                painter.Stroke(frame.Curve((0, 0.5), (-0.1, 0.25), (0.06, 0.0), (-0.08, -0.25), (0.02, -0.48)), main, frame.Length(0.09));
                painter.Stroke(frame.Curve((-0.12, 0.5), (-0.2, 0.3), (-0.1, 0.1), (-0.22, -0.12)), main, frame.Length(0.08));
                painter.Stroke(frame.Curve((0.12, 0.5), (0.2, 0.32), (0.1, 0.12), (0.2, -0.05)), main, frame.Length(0.08));
                break;
            case "balloon":
                painter.PartStroke(frame.Curve((0, 0.14), (0.06, 0.3), (-0.05, 0.4), (0.02, 0.5)), "string", "gray", frame.Length(0.04));
                painter.Body(ShapeFrame.Union(frame.Oval(0, -0.18, 0.28, 0.32), frame.Polygon((-0.05, 0.16), (0.05, 0.16), (0, 0.1))), main, null);
                painter.Detail(frame.Oval(-0.1, -0.3, 0.05, 0.08), "white");
                break;
            case "bird":
                painter.Body(ShapeFrame.Union(frame.Oval(-0.04, 0.08, 0.32, 0.18), frame.Circle(0.26, -0.1, 0.14),
                    frame.Polygon((-0.3, 0.02), (-0.5, -0.08), (-0.46, 0.14))), main, null);
                painter.Part(frame.Polygon((0.38, -0.15), (0.5, -0.08), (0.38, -0.04)), "beak", "orange");
                painter.Part(frame.Polygon((-0.2, 0.04), (0.12, 0.04), (-0.14, -0.33)), "wings", o.Colour, Shades.Tint(main, 0.25));
                painter.Detail(frame.Circle(0.29, -0.13, 0.035), "black");
                break;
            case "butterfly":
                painter.Part(ShapeFrame.Union(frame.Oval(-0.24, -0.14, 0.24, 0.22), frame.Oval(0.24, -0.14, 0.24, 0.22),
                    frame.Oval(-0.17, 0.2, 0.16, 0.15), frame.Oval(0.17, 0.2, 0.16, 0.15)), "wings", o.Colour, main);
                painter.Detail(frame.Oval(0, 0.02, 0.045, 0.34), "black");
                painter.Detail(ShapeFrame.Union(frame.Circle(-0.24, -0.14, 0.07), frame.Circle(0.24, -0.14, 0.07)), o.Colour == "yellow" ? "black" : "yellow");
                break;
            case "cat":
                painter.Body(ShapeFrame.Union(frame.Circle(0, -0.14, 0.27), frame.Oval(0, 0.28, 0.3, 0.22)), main, null);
                painter.Part(ShapeFrame.Union(frame.Polygon((-0.27, -0.22), (-0.25, -0.5), (-0.06, -0.38)),
                    frame.Polygon((0.27, -0.22), (0.25, -0.5), (0.06, -0.38))), "ears", o.Colour, Shades.Tint(main, 0.2));
                painter.Detail(ShapeFrame.Union(frame.Circle(-0.1, -0.16, 0.045), frame.Circle(0.1, -0.16, 0.045)), "green");
                painter.Detail(frame.Polygon((-0.04, -0.06), (0.04, -0.06), (0, -0.01)), "pink");
                break;
            case "moon":
                using (var disc = frame.Circle(0, 0, 0.45))
                using (var bite = frame.Circle(0.2, -0.1, 0.37))
                    painter.Body(disc.Op(bite, SKPathOp.Difference)!, main, null);
                break;
            case "umbrella":
                painter.PartStroke(frame.Line((0, -0.05), (0, 0.34), (0.03, 0.42), (0.1, 0.42), (0.13, 0.36)), "handle", "dark brown", frame.Length(0.05));
                using (var dome = frame.Oval(0, -0.02, 0.5, 0.44))
                using (var lower = frame.Rect(-0.5, -0.02, 0.5, 0.5))
                    painter.Part(dome.Op(lower, SKPathOp.Difference)!, "canopy", o.Colour, main);
                break;
            case "kite":
                painter.PartStroke(frame.Curve((0, 0.18), (0.12, 0.3), (-0.1, 0.4), (0.06, 0.5)), "string", "gray", frame.Length(0.035));
                painter.Body(frame.Polygon((0, -0.5), (0.33, -0.16), (0, 0.2), (-0.33, -0.16)), main, o.Pattern);
                break;
            case "mountain":
                painter.Body(frame.Polygon((-0.5, 0.4), (0, -0.4), (0.5, 0.4)), main, null);
                painter.Part(frame.Polygon((0, -0.4), (0.15, -0.16), (0.06, -0.2), (-0.02, -0.13), (-0.09, -0.2), (-0.15, -0.16)), "snow", "white");
                break;
            case "bus":
                painter.Body(frame.Rect(-0.5, -0.26, 0.5, 0.16), main, null);
                painter.Part(ShapeFrame.Union(Enumerable.Range(0, 4).Select(k => frame.Rect(-0.42 + k * 0.22, -0.2, -0.28 + k * 0.22, -0.04)).ToArray()), "window", "light blue");
                painter.Part(ShapeFrame.Union(frame.Circle(-0.3, 0.16, 0.11), frame.Circle(0.3, 0.16, 0.11)), "wheels", "black");
                break;
            case "fence":
                painter.Body(ShapeFrame.Union(
                    [frame.Rect(-0.5, -0.1, 0.5, -0.02), frame.Rect(-0.5, 0.12, 0.5, 0.2),
                     .. Enumerable.Range(0, 5).Select(k => frame.Polygon((-0.46 + k * 0.2, 0.25), (-0.34 + k * 0.2, 0.25), (-0.34 + k * 0.2, -0.17), (-0.4 + k * 0.2, -0.25), (-0.46 + k * 0.2, -0.17)))]), main, null);
                break;
            case "apple":
                painter.Body(ShapeFrame.Union(frame.Circle(-0.14, 0.08, 0.32), frame.Circle(0.14, 0.08, 0.32)), main, null);
                painter.Detail(frame.Rect(-0.025, -0.38, 0.025, -0.18), "brown");
                painter.Part(frame.Oval(0.14, -0.33, 0.13, 0.06), "leaf", "green");
                break;
            case "crab":
                painter.Stroke(frame.Line((-0.2, 0.1), (-0.38, 0.26)), main, frame.Length(0.05));
                painter.Stroke(frame.Line((0.2, 0.1), (0.38, 0.26)), main, frame.Length(0.05));
                painter.Body(frame.Oval(0, 0.06, 0.3, 0.18), main, null);
                painter.Part(ShapeFrame.Union(frame.Circle(-0.38, -0.16, 0.11), frame.Circle(0.38, -0.16, 0.11),
                    frame.Rect(-0.3, -0.1, -0.22, 0.02), frame.Rect(0.22, -0.1, 0.3, 0.02)), "claws", o.Colour, Shades.Tint(main, 0.15));
                painter.Detail(ShapeFrame.Union(frame.Circle(-0.08, -0.08, 0.035), frame.Circle(0.08, -0.08, 0.035)), "black");
                break;
            case "airplane":
                painter.Body(ShapeFrame.Union(frame.Oval(0, 0, 0.48, 0.1), frame.Polygon((-0.46, 0), (-0.36, 0), (-0.42, -0.28), (-0.48, -0.28))), main, null);
                painter.Part(ShapeFrame.Union(frame.Polygon((-0.06, 0), (0.14, 0), (-0.08, 0.3), (-0.2, 0.3)),
                    frame.Polygon((-0.06, 0), (0.14, 0), (-0.02, -0.24), (-0.12, -0.24))), "wings", o.Colour, Shades.Tint(main, 0.2));
                painter.Detail(ShapeFrame.Union(Enumerable.Range(0, 4).Select(k => frame.Circle(0.06 + k * 0.08, -0.02, 0.025)).ToArray()), "light blue");
                break;
            default:
                throw new ArgumentException($"no drawing for category '{o.Category}'");
        }
    }

    private static SKPath Star(ShapeFrame frame)
    {
        var points = Enumerable.Range(0, 10).Select(k =>
        {
            double angle = -Math.PI / 2 + k * Math.PI / 5;
            double r = k % 2 == 0 ? 0.5 : 0.21;
            return (r * Math.Cos(angle), 0.03 + r * Math.Sin(angle));
        }).ToArray();
        return frame.Polygon(points);
    }

    /// <summary>Draws an object's primitives with its labels; disposes the paths it is given.</summary>
    private sealed class PartPainter(SceneCanvas canvas, ConceptVocabulary vocabulary, LabelWrite body, WorldRandom random)
    {
        public void Body(SKPath path, SKColor colour, string? pattern)
        {
            canvas.Draw(path, colour, body);
            if (pattern is not null)
                canvas.Paint(path, c => Patterns.Paint(c, pattern, path.Bounds, Shades.Tint(colour, 0.45), Math.Max(path.Bounds.Width, 4) / 4.5f, random));
            path.Dispose();
        }

        public void Part(SKPath path, string part, string colourName, SKColor? colour = null)
        {
            var labels = body.Set(ConceptLayer.Part, vocabulary.Id(part)).Set(ConceptLayer.Colour, vocabulary.Id(colourName)).Set(ConceptLayer.Texture, 0);
            canvas.Draw(path, colour ?? Shades.Jitter(colourName, random, 8), labels);
            path.Dispose();
        }

        /// <summary>A small unnamed piece (fish eye, mast, flower centre): its own colour, the object's category, no part.</summary>
        public void Detail(SKPath path, string colourName)
        {
            canvas.Draw(path, Shades.Jitter(colourName, random, 8), body.Set(ConceptLayer.Colour, vocabulary.Id(colourName)).Set(ConceptLayer.Texture, 0));
            path.Dispose();
        }

        /// <summary>A part drawn as a line (a balloon's string, an umbrella's handle).</summary>
        public void PartStroke(SKPath path, string part, string colourName, float width)
        {
            var labels = body.Set(ConceptLayer.Part, vocabulary.Id(part)).Set(ConceptLayer.Colour, vocabulary.Id(colourName)).Set(ConceptLayer.Texture, 0);
            canvas.Draw(path, Shades.Jitter(colourName, random, 8), labels, Math.Max(1f, width));
            path.Dispose();
        }

        public void Stroke(SKPath path, SKColor colour, float width)
        {
            canvas.Draw(path, colour, body, Math.Max(1f, width));
            path.Dispose();
        }
    }
}
