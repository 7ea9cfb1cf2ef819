namespace Milan.World;

/// <summary>
/// What a person sees inside the highlighted regions of one exemplar: the things that fill a good
/// part of the highlight or lie mostly inside it (categories, parts, textures, text), the objects
/// under it, the colour that dominates it, and the image region that holds it.
/// </summary>
/// <param name="Seen">Concept name → how it lies under the highlight.</param>
/// <param name="Objects">The scene objects mostly inside the highlight or filling a good part of it.</param>
/// <param name="Colour">The colour that covers at least half of the highlighted pixels, or null.</param>
/// <param name="Regions">The named image regions (cells, quadrants, halves; smallest first) that each hold most of the highlight.</param>
/// <param name="Coverage">Share of the image that is highlighted.</param>
/// <param name="Others">The scene objects not under the highlight (what a description may contrast the highlighted ones with).</param>
/// <param name="Relations">How the highlighted objects stand to other objects of another category: (category, relation, other category).</param>
public sealed record ExemplarView(
    IReadOnlyDictionary<string, Sighting> Seen,
    IReadOnlyList<SceneObject> Objects,
    string? Colour,
    IReadOnlyList<string> Regions,
    double Coverage,
    IReadOnlyList<SceneObject> Others,
    IReadOnlyList<(string Category, string Relation, string Other)> Relations);

/// <summary>A thing seen under a highlight: the share of the highlighted pixels it fills and the share of its own pixels inside the highlight.</summary>
public readonly record struct Sighting(double Fills, double Within);

/// <summary>
/// The content of a unit's highlighted regions, exemplar by exemplar, as a person looking at the
/// masked exemplars would take it in (docs/world.md, "Annotators"). A thing is seen under a highlight
/// when it fills at least <see cref="FillsHighlight"/> of the highlighted pixels, or when at least
/// <see cref="MostlyInside"/> of its own pixels lie inside the highlight and it is not lost in it
/// (at least <see cref="NotLost"/> of the highlight). Faces and text capture people's attention
/// wherever they are in an image (Cerf, Frady and Koch 2009, "Faces and text attract gaze
/// independent of the task"), so they are seen when they fill at least <see cref="FillsHighlightIfSalient"/>.
/// A background texture is seen only where no object, part or text is (figure and ground: people
/// describe the object under a highlight, not what is behind it). Only exemplars with highlighted
/// pixels count.
/// </summary>
public sealed class HighlightedContent
{
    public const double FillsHighlight = 0.3;
    public const double MostlyInside = 0.5;
    public const double NotLost = 0.05;
    public const double FillsHighlightIfSalient = 0.1;

    /// <summary>A region holds the highlight when it holds this share of the highlighted pixels.</summary>
    public const double RegionShare = 0.75;

    /// <summary>The views of the exemplars with highlighted pixels, in exemplar order.</summary>
    public IReadOnlyList<ExemplarView> Views { get; }

    /// <summary>All exemplars shown, with or without highlighted pixels.</summary>
    public int Exemplars { get; }

    public HighlightedContent(IReadOnlyList<ExemplarView> views, int exemplars)
    {
        Views = views;
        Exemplars = exemplars;
    }

    internal static HighlightedContent Of(IReadOnlyList<ulong[]> unitMasks, IReadOnlyList<ImageConcepts> images)
    {
        var views = new List<ExemplarView>();
        for (int j = 0; j < images.Count; j++)
        {
            int highlighted = PixelBits.Count(unitMasks[j]);
            if (highlighted > 0) views.Add(View(unitMasks[j], highlighted, images[j]));
        }
        return new HighlightedContent(views, images.Count);
    }

    private static ExemplarView View(ulong[] mask, int highlighted, ImageConcepts image)
    {
        var vocabulary = ConceptVocabulary.Default;
        var seen = new Dictionary<string, Sighting>();
        string? colour = null;
        foreach (var (id, bits) in image.Concepts)
        {
            var concept = vocabulary[id];
            int inside = PixelBits.AndCount(mask, bits);
            if (inside == 0) continue;
            if (concept.Kind == ConceptKind.Colour)
            {
                if (inside >= 0.5 * highlighted) colour = concept.Name;
                continue;
            }
            if (Seen(inside, highlighted, PixelBits.Count(bits), AttractsGaze(concept)) is { } sighting) seen[concept.Name] = sighting;
        }
        // Figure and ground: where an object, a part or text is seen, the background behind it is not what people describe.
        if (seen.Keys.Any(c => vocabulary.Named(c).Kind != ConceptKind.Texture))
            foreach (var ground in seen.Keys.Where(c => vocabulary.Named(c).Kind == ConceptKind.Texture).ToList()) seen.Remove(ground);
        var scene = image.Scene;
        var objects = new List<int>();
        for (int i = 0; i < image.Objects.Count; i++)
        {
            int inside = PixelBits.AndCount(mask, image.Objects[i]);
            if (inside > 0 && Seen(inside, highlighted, PixelBits.Count(image.Objects[i]), scene.Objects[i].Category == "face") is not null) objects.Add(i);
        }
        var relations = scene.Relations
            .Where(r => objects.Contains(r.Subject) && scene.Objects[r.Object].Category != scene.Objects[r.Subject].Category)
            .Select(r => (scene.Objects[r.Subject].Category, r.Relation, scene.Objects[r.Object].Category))
            .Distinct().ToList();
        var regions = ImageConcepts.Regions(image.Size)
            .Where(r => PixelBits.AndCount(mask, r.Bits) >= RegionShare * highlighted)
            .OrderBy(r => r.Area).Select(r => r.Name).ToList();
        return new ExemplarView(seen, objects.Select(i => scene.Objects[i]).ToList(), colour, regions,
                                highlighted / (double)(image.Size * image.Size),
                                scene.Objects.Where((_, i) => !objects.Contains(i)).ToList(), relations);
    }

    /// <summary>How a thing of <paramref name="area"/> pixels with <paramref name="inside"/> of them highlighted is seen, or null when it is not.</summary>
    private static Sighting? Seen(int inside, int highlighted, int area, bool salient)
    {
        var sighting = new Sighting(inside / (double)highlighted, inside / (double)area);
        return sighting.Fills >= (salient ? FillsHighlightIfSalient : FillsHighlight) || (sighting.Within >= MostlyInside && sighting.Fills >= NotLost)
            ? sighting : null;
    }

    /// <summary>Faces (and their parts) and text.</summary>
    private static bool AttractsGaze(Concept concept) =>
        concept.Kind == ConceptKind.Text || concept.Name == "face" || ConceptVocabulary.WholeOf.GetValueOrDefault(concept.Name) == "face";
}
