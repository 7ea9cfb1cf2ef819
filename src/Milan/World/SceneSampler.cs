namespace Milan.World;

/// <summary>
/// Draws a random <see cref="Scene"/> of a class: background, objects placed by the class's layout
/// and zones without overlapping (except a nested object), incidental faces, a distractor and words,
/// then the spatial relations that hold between the placed objects.
/// </summary>
public static class SceneSampler
{
    public const int MaxObjects = 4;

    /// <summary>The top-left region kept free of incidental words, where the spurious-text variant writes.</summary>
    public static readonly Box ReservedTextCorner = new(0, 0, 0.75, 0.3);

    private const double Margin = 0.02;

    /// <summary>Face sizes (box height over the image side): close enough to be the salient thing people are in photographs.</summary>
    public const double FaceSizeMin = 0.3, FaceSizeMax = 0.42;
    private static readonly string[] PatternTextures = ["stripes", "dots", "checkerboard", "zigzag"];

    public static Scene Sample(WorldDataset dataset, int label, WorldRandom random)
    {
        var sceneClass = dataset.Classes[label];
        var background = SampleBackground(dataset, sceneClass, random, out double horizon);
        var placed = new List<SceneObject>();
        var avoid = background.Select(b => b.Colour).ToHashSet();

        int firstFree = 0;
        switch (sceneClass.Layout)
        {
            case SceneLayout.Stack:
            case SceneLayout.Row:
                Line(sceneClass.Slots[0], sceneClass.Layout == SceneLayout.Stack, random, placed, avoid);
                firstFree = 1;
                break;
            case SceneLayout.Nest:
                Nest(sceneClass.Slots[0], sceneClass.Slots[1], random, placed, avoid);
                firstFree = 2;
                break;
        }
        bool landscape = sceneClass.Layout == SceneLayout.Landscape;
        var slots = sceneClass.Slots.Skip(firstFree).ToList();
        // The class's main objects first, then the people who happen to be there (they get room before
        // the class's optional objects and the distractor, as people in photographs are rarely crowded out),
        // then the rest.
        if (slots.Count > 0 && firstFree == 0) PlaceSlot(slots[0], horizon, random, placed, avoid);
        for (double chance = sceneClass.FaceChance; placed.Count < MaxObjects && random.Chance(chance); chance /= 2)
            Scatter(NewFace(dataset, random, avoid), landscape ? "ground" : "any", horizon, random, placed);
        foreach (var slot in slots.Skip(firstFree == 0 ? 1 : 0))
            PlaceSlot(slot, horizon, random, placed, avoid);
        if (placed.Count < MaxObjects && random.Chance(dataset.DistractorChance))
        {
            var distractor = NewObject(dataset.Distractor, random, avoid);
            Scatter(distractor, DistractorZone(distractor.Category, landscape), horizon, random, placed);
        }

        var texts = new List<SceneText>();
        if (random.Chance(sceneClass.TextChance))
        {
            var words = sceneClass.Words is { Count: > 0 } own && random.Chance(0.8) ? own : dataset.Words;
            var text = PlaceText(random.Pick(words), background, placed, random);
            if (text is not null) texts.Add(text);
        }
        return new Scene(label, sceneClass.Name, background, placed, texts, Relations(placed));
    }

    private static void PlaceSlot(ObjectSlot slot, double horizon, WorldRandom random, List<SceneObject> placed, IReadOnlySet<string> avoid)
    {
        if (!random.Chance(slot.Chance)) return;
        int count = random.Between(slot.Min, slot.Max);
        for (int k = 0; k < count && placed.Count < MaxObjects; k++)
            Scatter(NewObject(slot, random, avoid), slot.Zone, horizon, random, placed);
    }

    /// <summary>The spatial relations between objects, from their boxes (both directions of each pair).</summary>
    public static IReadOnlyList<SceneRelation> Relations(IReadOnlyList<SceneObject> objects)
    {
        var relations = new List<SceneRelation>();
        for (int i = 0; i < objects.Count; i++)
            for (int j = 0; j < objects.Count; j++)
            {
                if (i == j) continue;
                Box a = objects[i].Bounds, b = objects[j].Bounds;
                if (i > j && a.Within(b, 0.01))
                {
                    relations.Add(new(i, "inside", j));
                    continue;
                }
                if (j > i && b.Within(a, 0.01)) continue;
                bool horizontalOverlap = Math.Abs(a.CenterX - b.CenterX) < (a.Width + b.Width) / 2;
                bool verticalOverlap = Math.Abs(a.CenterY - b.CenterY) < (a.Height + b.Height) / 2;
                if (a.Bottom <= b.Top + 0.03 && horizontalOverlap) relations.Add(new(i, "above", j));
                if (a.Top >= b.Bottom - 0.03 && horizontalOverlap) relations.Add(new(i, "below", j));
                if (a.Right <= b.Left + 0.03 && verticalOverlap) relations.Add(new(i, "left of", j));
                if (a.Left >= b.Right - 0.03 && verticalOverlap) relations.Add(new(i, "right of", j));
                if (a.Gap(b) < 0.06) relations.Add(new(i, "next to", j));
            }
        return relations;
    }

    private static List<BackgroundRegion> SampleBackground(WorldDataset dataset, SceneClass sceneClass, WorldRandom random, out double horizon)
    {
        if (sceneClass.Layout == SceneLayout.Landscape)
        {
            horizon = Math.Round(random.Uniform(0.42, 0.58), 3);
            return [Region(random.Pick(Weights(sceneClass.Backgrounds)), 0, horizon, random),
                    Region(random.Pick(Weights(sceneClass.Ground ?? sceneClass.Backgrounds)), horizon, 1, random)];
        }
        horizon = 0.5;
        var choices = random.Chance(dataset.CommonBackgroundChance) ? dataset.CommonBackgrounds : sceneClass.Backgrounds;
        return [Region(random.Pick(Weights(choices)), 0, 1, random)];
    }

    private static Weighted<BackgroundChoice>[] Weights(IReadOnlyList<BackgroundChoice> choices) =>
        choices.Select(c => new Weighted<BackgroundChoice>(c, c.Weight)).ToArray();

    private static BackgroundRegion Region(BackgroundChoice choice, double top, double bottom, WorldRandom random) =>
        new(choice.Texture, random.Pick(choice.Colours), top, bottom, random.Next(4), random.NextUInt64());

    /// <summary>A new object of a slot (not yet placed), in a colour other than the background's when the slot allows.</summary>
    private static SceneObject NewObject(ObjectSlot slot, WorldRandom random, IReadOnlySet<string> avoid)
    {
        string category = random.Pick(slot.Categories);
        string colour = PickColour(slot.Colours, random, avoid);
        string? accent = slot.Accents is { Count: > 0 } accents ? random.Pick(accents) : null;
        string? pattern = CategoryShapes.Patternable.Contains(category) && random.Chance(slot.PatternChance) ? random.Pick(PatternTextures) : null;
        double size = Math.Round(random.Uniform(slot.SizeMin, slot.SizeMax), 4);
        return new SceneObject(category, colour, accent, 0, 0, size, random.Chance(0.5), pattern, random.NextUInt64());
    }

    private static string PickColour(IReadOnlyList<string> colours, WorldRandom random, IReadOnlySet<string> avoid)
    {
        string colour = random.Pick(colours);
        for (int attempt = 0; attempt < 6 && avoid.Contains(colour); attempt++) colour = random.Pick(colours);
        return colour;
    }

    private static SceneObject NewFace(WorldDataset dataset, WorldRandom random, IReadOnlySet<string> avoid)
    {
        string skin = PickColour(WorldColours.SkinTones, random, avoid);
        string? hair = random.Chance(0.7) ? random.Pick(dataset.HairColours) : null;
        double size = Math.Round(random.Uniform(FaceSizeMin, FaceSizeMax), 4);
        return new SceneObject("face", skin, hair, 0, 0, size, false, null, random.NextUInt64());
    }

    private static string DistractorZone(string category, bool landscape) =>
        !landscape ? "any" : category is "cloud" or "sun" or "star" or "moon" or "bird" or "airplane" or "kite" or "balloon" ? "top" : "ground";

    /// <summary>Places an object in a free spot of its zone; drops it when 40 tries find none.</summary>
    private static void Scatter(SceneObject o, string zone, double horizon, WorldRandom random, List<SceneObject> placed)
    {
        var (w, h) = CategoryShapes.Extent(o.Category);
        w *= o.Size;
        h *= o.Size;
        for (int attempt = 0; attempt < 40; attempt++)
        {
            double x = random.Uniform(Margin + w / 2, 1 - Margin - w / 2);
            double y = zone switch
            {
                "top" => random.Uniform(Margin + h / 2, Math.Max(Margin + h / 2, horizon - h / 2 - 0.01)),
                "ground" => random.Uniform(Math.Max(horizon + 0.1, Margin + h), 0.98) - h / 2,
                "bottom" => random.Uniform(0.97, 1.02) - h / 2,
                "horizon" => horizon + random.Uniform(0.04, 0.1) - h / 2,
                "skyline" => horizon + 0.01 - h / 2,
                "water" => random.Uniform(Math.Min(horizon + h / 2 + 0.01, 1 - Margin - h / 2), 1 - Margin - h / 2),
                _ => random.Uniform(Margin + h / 2, 1 - Margin - h / 2),
            };
            var candidate = o with { X = Math.Round(x, 4), Y = Math.Round(y, 4) };
            if (placed.All(p => !p.Bounds.Overlaps(candidate.Bounds, 0.01)))
            {
                placed.Add(candidate);
                return;
            }
        }
    }

    /// <summary>A vertical stack (touching, top to bottom) or a horizontal row of the slot's objects.</summary>
    private static void Line(ObjectSlot slot, bool vertical, WorldRandom random, List<SceneObject> placed, IReadOnlySet<string> avoid)
    {
        int count = random.Between(slot.Min, slot.Max);
        var items = Enumerable.Range(0, count).Select(_ => NewObject(slot, random, avoid)).ToList();
        double Along(SceneObject o) => (vertical ? CategoryShapes.Extent(o.Category).Height : CategoryShapes.Extent(o.Category).Width) * o.Size;
        double Across(SceneObject o) => (vertical ? CategoryShapes.Extent(o.Category).Width : CategoryShapes.Extent(o.Category).Height) * o.Size;
        const double gap = 0.01;
        double length = items.Sum(Along) + gap * (count - 1);
        double widest = items.Max(Across);
        double cross = random.Uniform(Margin + widest / 2, 1 - Margin - widest / 2);
        double cursor = random.Uniform(Margin, Math.Max(Margin, 1 - Margin - length));
        foreach (var item in items)
        {
            double along = cursor + Along(item) / 2;
            double across = Math.Clamp(cross + random.Uniform(-0.03, 0.03), Margin + Across(item) / 2, 1 - Margin - Across(item) / 2);
            placed.Add(item with
            {
                X = Math.Round(vertical ? across : along, 4),
                Y = Math.Round(vertical ? along : across, 4),
            });
            cursor += Along(item) + gap;
        }
    }

    /// <summary>A container and a smaller object of another colour drawn inside it.</summary>
    private static void Nest(ObjectSlot containers, ObjectSlot contents, WorldRandom random, List<SceneObject> placed, IReadOnlySet<string> avoid)
    {
        var container = NewObject(containers, random, avoid);
        double half = container.Size / 2;
        container = container with
        {
            X = Math.Round(random.Uniform(Margin + half, 1 - Margin - half), 4),
            Y = Math.Round(random.Uniform(Margin + half, 1 - Margin - half), 4),
        };
        var content = NewObject(contents, random, avoid.Append(container.Colour).ToHashSet());
        content = content with
        {
            Size = Math.Min(content.Size, Math.Round(container.Size * 0.42, 4)),
            X = Math.Round(container.X + random.Uniform(-0.015, 0.015), 4),
            Y = Math.Round(container.Y + random.Uniform(-0.015, 0.015), 4),
        };
        placed.Add(container);
        placed.Add(content);
    }

    private static SceneText? PlaceText(string word, IReadOnlyList<BackgroundRegion> background, List<SceneObject> placed, WorldRandom random)
    {
        double fontSize = Math.Round(random.Uniform(0.15, 0.2), 4);
        const int reference = 256;
        var box = SceneRenderer.TextBox(new SceneText(word, "black", 0, 0, fontSize, false), reference);
        double w = box.Width / reference, h = box.Height / reference;
        for (int attempt = 0; attempt < 30; attempt++)
        {
            double x = random.Uniform(Margin, Math.Max(Margin, 1 - Margin - w));
            double y = random.Uniform(Margin, Math.Max(Margin, 1 - Margin - h));
            var bounds = new Box(x, y, x + w, y + h);
            if (bounds.Overlaps(ReservedTextCorner) || placed.Any(p => p.Bounds.Overlaps(bounds, 0.01))) continue;
            string under = background.First(r => r.Bottom > bounds.CenterY).Colour;
            return new SceneText(word, ContrastingColour(under, random), Math.Round(x, 4), Math.Round(y, 4), fontSize, false);
        }
        return null;
    }

    /// <summary>A text colour that stands out on a background colour.</summary>
    public static string ContrastingColour(string backgroundColour, WorldRandom random) =>
        Shades.Luminance(Shades.Exact(backgroundColour)) > 0.5 ? random.Pick(["black", "navy", "red", "dark brown"]) : random.Pick(["white", "yellow"]);
}
