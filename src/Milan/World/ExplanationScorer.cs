namespace Milan.World;

/// <summary>
/// Scores how well each concept and each small composition explains a unit's highlighted regions
/// across its exemplars: IoU accumulated over the exemplars, Σ|M∩E| / Σ|M∪E| (NetDissect's
/// dataset-level IoU restricted to the exemplar images), where M is the unit's mask and E the
/// explanation's mask in each image, weighted by how consistently it overlaps M across exemplars.
/// </summary>
internal static class ExplanationScorer
{
    private const int TopForCompositions = 5;

    public static UnitEvidence Evaluate(IReadOnlyList<ulong[]> unitMasks, IReadOnlyList<ImageConcepts> images)
    {
        var vocabulary = ConceptVocabulary.Default;
        int size = images[0].Size;
        var regions = ImageConcepts.Regions(size);
        double highlighted = unitMasks.Sum(PixelBits.Count) / (double)(unitMasks.Count * size * size);
        var candidates = new Dictionary<Explanation, Func<ImageConcepts, ulong[]?>>();

        foreach (var id in images.SelectMany(i => i.Concepts.Keys).Distinct())
        {
            int captured = id;
            candidates[new Explanation(ExplanationKind.Concept, vocabulary[id].Name)] = image => image.Concept(captured);
        }
        foreach (var cell in regions.Take(ConceptVocabulary.Positions.Count))
            candidates[new Explanation(ExplanationKind.Concept, cell.Name)] = _ => cell.Bits;
        foreach (var image in images)
        {
            var scene = image.Scene;
            foreach (var o in scene.Objects)
            {
                AddObjects(candidates, new Explanation(ExplanationKind.ColourObject, o.Colour, o.Category), x => x.Colour == o.Colour);
                if (o.Pattern is not null)
                    AddObjects(candidates, new Explanation(ExplanationKind.PatternObject, o.Pattern, o.Category), x => x.Pattern == o.Pattern);
            }
            foreach (var relation in scene.Relations)
            {
                string a = scene.Objects[relation.Subject].Category, b = scene.Objects[relation.Object].Category;
                var key = new Explanation(ExplanationKind.Relation, a, b, relation.Relation);
                candidates.TryAdd(key, x =>
                {
                    ulong[]? union = null;
                    foreach (var r in x.Scene.Relations)
                        if (r.Relation == key.Relation && x.Scene.Objects[r.Subject].Category == a && x.Scene.Objects[r.Object].Category == b)
                            union = PixelBits.Or(union ?? PixelBits.Empty(x.Size * x.Size), PixelBits.Or(x.Objects[r.Subject], x.Objects[r.Object]));
                    return union;
                });
            }
            var present = image.Concepts.Keys.Select(id => vocabulary[id]).ToArray();
            foreach (var colour in present.Where(c => c.Kind == ConceptKind.Colour))
                foreach (var other in present.Where(c => c.Kind is ConceptKind.Texture or ConceptKind.Part))
                {
                    var kind = other.Kind == ConceptKind.Texture ? ExplanationKind.ColourTexture : ExplanationKind.ColourPart;
                    int colourId = colour.Id, otherId = other.Id;
                    candidates.TryAdd(new Explanation(kind, colour.Name, other.Name), x =>
                        x.Concept(colourId) is { } c && x.Concept(otherId) is { } o ? PixelBits.And(c, o) : null);
                }
        }

        var ranked = candidates.Select(c => Scored(c.Key, unitMasks, images, c.Value)).ToList();
        var singles = ranked.Where(r => r.Explanation.Kind == ExplanationKind.Concept && vocabulary.Named(r.Explanation.A).Kind != ConceptKind.Position)
            .OrderByDescending(r => r.Score).ThenBy(r => r.Explanation.A, StringComparer.Ordinal).Take(TopForCompositions).ToArray();
        var categories = singles.Where(r => vocabulary.Named(r.Explanation.A).Kind == ConceptKind.Category).Select(r => r.Explanation.A).ToArray();
        for (int i = 0; i < categories.Length; i++)
            for (int j = i + 1; j < categories.Length; j++)
            {
                int a = vocabulary.Named(categories[i]).Id, b = vocabulary.Named(categories[j]).Id;
                var either = new Explanation(ExplanationKind.Either, categories[i], categories[j]);
                ranked.Add(Scored(either, unitMasks, images, x =>
                    x.Concept(a) is { } ca ? (x.Concept(b) is { } cb ? PixelBits.Or(ca, cb) : ca) : x.Concept(b)));
            }
        foreach (var single in singles)
        {
            int id = vocabulary.Named(single.Explanation.A).Id;
            foreach (var region in regions)
                ranked.Add(Scored(new Explanation(ExplanationKind.AtPosition, single.Explanation.A, region.Name), unitMasks, images,
                    x => x.Concept(id) is { } c ? PixelBits.And(c, region.Bits) : null));
        }

        var ordered = ranked.Where(r => r.Iou > 0)
            .OrderByDescending(r => r.Score).ThenBy(r => r.Explanation.Kind).ThenBy(r => r.Explanation.ToString(), StringComparer.Ordinal)
            .ToArray();
        return new UnitEvidence(ordered, highlighted, RelationContext(unitMasks, images, categories.FirstOrDefault()));
    }

    private static void AddObjects(Dictionary<Explanation, Func<ImageConcepts, ulong[]?>> candidates, Explanation key, Func<SceneObject, bool> attribute) =>
        candidates.TryAdd(key, x =>
        {
            ulong[]? union = null;
            for (int i = 0; i < x.Scene.Objects.Count; i++)
                if (x.Scene.Objects[i].Category == key.B && attribute(x.Scene.Objects[i]))
                    union = PixelBits.Or(union ?? PixelBits.Empty(x.Size * x.Size), x.Objects[i]);
            return union;
        });

    private static ScoredExplanation Scored(Explanation explanation, IReadOnlyList<ulong[]> unitMasks, IReadOnlyList<ImageConcepts> images,
        Func<ImageConcepts, ulong[]?> mask)
    {
        long intersection = 0, union = 0;
        int highlighted = 0, overlapping = 0;
        for (int j = 0; j < images.Count; j++)
        {
            int unit = PixelBits.Count(unitMasks[j]);
            if (unit > 0) highlighted++;
            var explained = mask(images[j]);
            if (explained is null)
            {
                union += unit;
                continue;
            }
            int overlap = PixelBits.AndCount(unitMasks[j], explained);
            if (overlap > 0) overlapping++;
            intersection += overlap;
            union += unit + PixelBits.Count(explained) - overlap;
        }
        return new ScoredExplanation(explanation, union == 0 ? 0 : (double)intersection / union,
            highlighted == 0 ? 0 : (double)overlapping / highlighted);
    }

    /// <summary>
    /// The relation (and other category) that the highlighted objects of <paramref name="category"/>
    /// stand in, in at least 60% of the exemplars that highlight such an object (at least 3 of them).
    /// </summary>
    private static Explanation? RelationContext(IReadOnlyList<ulong[]> unitMasks, IReadOnlyList<ImageConcepts> images, string? category)
    {
        if (category is null) return null;
        var counts = new Dictionary<(string Relation, string Other), int>();
        int highlighting = 0;
        for (int j = 0; j < images.Count; j++)
        {
            var scene = images[j].Scene;
            var highlighted = Enumerable.Range(0, scene.Objects.Count).Where(i => scene.Objects[i].Category == category
                && PixelBits.AndCount(images[j].Objects[i], unitMasks[j]) >= 0.3 * Math.Max(1, PixelBits.Count(images[j].Objects[i]))).ToHashSet();
            if (highlighted.Count == 0) continue;
            highlighting++;
            foreach (var pair in scene.Relations.Where(r => highlighted.Contains(r.Subject) && scene.Objects[r.Object].Category != category)
                         .Select(r => (r.Relation, scene.Objects[r.Object].Category)).Distinct())
                counts[pair] = counts.GetValueOrDefault(pair) + 1;
        }
        if (highlighting < 3 || counts.Count == 0) return null;
        var best = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Relation, StringComparer.Ordinal).ThenBy(c => c.Key.Other, StringComparer.Ordinal).First();
        return best.Value >= 0.6 * highlighting ? new Explanation(ExplanationKind.Relation, category, best.Key.Other, best.Key.Relation) : null;
    }
}
