using Milan.Datasets;
using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.World;

public class AnnotatorTests : IClassFixture<AnnotatorTests.ProbeWorlds>
{
    /// <summary>A normal and a spurious-text probe split of world a, 32 px, generated once for these tests.</summary>
    public sealed class ProbeWorlds : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Normal => Path.Combine(Folder.Path, "normal", "val");
        public string Spurious => Path.Combine(Folder.Path, "spurious", "val");

        public ProbeWorlds()
        {
            WorldGenerator.Generate(WorldDatasets.A, WorldVariant.Normal, new WorldSettings(32, 0, 300, 0), Path.Combine(Folder.Path, "normal"));
            WorldGenerator.Generate(WorldDatasets.A, WorldVariant.SpuriousText(), new WorldSettings(32, 0, 80, 0), Path.Combine(Folder.Path, "spurious"));
        }

        public void Dispose() => Folder.Dispose();
    }

    private const int K = 15;
    private static readonly ConceptVocabulary Vocabulary = ConceptVocabulary.Default;
    private readonly ProbeWorlds _worlds;

    public AnnotatorTests(ProbeWorlds worlds) => _worlds = worlds;

    /// <summary>A unit whose masks are exactly a concept's masks on the first 15 images holding it.</summary>
    private static (int[] Ids, byte[][] Masks) UnitOf(WorldConceptMasks masks, Func<ImageConceptsView, byte[]?> mask)
    {
        var ids = new List<int>();
        var result = new List<byte[]>();
        for (int i = 0; i < masks.Count && ids.Count < K; i++)
        {
            var m = mask(new ImageConceptsView(masks, i));
            if (m is null || !m.Any(v => v != 0)) continue;
            ids.Add(i);
            result.Add(m);
        }
        Assert.True(ids.Count == K, $"only {ids.Count} probe images hold the concept");
        return (ids.ToArray(), result.ToArray());
    }

    /// <summary>Label maps of one image, for building synthetic unit masks.</summary>
    private sealed record ImageConceptsView(WorldConceptMasks Masks, int Index)
    {
        private readonly byte[] _bytes = Masks.LayerBytes(Index);
        private int Pixels => Masks.ImageSize * Masks.ImageSize;

        public byte[]? Layer(int layer, string concept)
        {
            byte id = Vocabulary.Id(concept);
            var m = _bytes.Skip(layer * Pixels).Take(Pixels).Select(v => (byte)(v == id ? 1 : 0)).ToArray();
            return m.Any(v => v != 0) ? m : null;
        }

        public byte[]? Objects(Func<SceneObject, bool> select)
        {
            var scene = Masks.Scene(Index);
            var chosen = Enumerable.Range(0, scene.Objects.Count).Where(i => select(scene.Objects[i])).Select(i => (byte)(i + 1)).ToHashSet();
            if (chosen.Count == 0) return null;
            return _bytes.Skip(ConceptLayer.Instance * Pixels).Take(Pixels).Select(v => (byte)(chosen.Contains(v) ? 1 : 0)).ToArray();
        }
    }

    private static void WriteLayer(string exemplars, string layer, IReadOnlyList<(int[] Ids, byte[][] Masks)> units, int size, long[]? unitIds = null) =>
        SyntheticExemplars.WriteLayer(exemplars, layer, units, size, unitIds);

    private static bool Names(string description, params string[] concepts) =>
        concepts.All(concept => ConceptPhrases.Synonyms(concept).Any(s => description.Contains(s)));

    [Fact]
    public void Every_style_names_the_single_concept_a_unit_coincides_with()
    {
        using var masks = new WorldConceptMasks(_worlds.Normal);
        using var exemplars = new TempFolder();
        var concepts = new (string Concept, int Layer)[]
        {
            ("fish", ConceptLayer.Category), ("eyes", ConceptLayer.Part), ("water", ConceptLayer.Texture), ("house", ConceptLayer.Category),
            ("face", ConceptLayer.Category), ("wood", ConceptLayer.Texture),
        };
        long[] unitIds = [5, 9, 11, 40, 41, 42];
        WriteLayer(exemplars.Path, "layer3", concepts.Select(c => UnitOf(masks, v => v.Layer(c.Layer, c.Concept))).ToArray(), 32, unitIds);

        var rows = SimulatedAnnotation.Describe(exemplars.Path, _worlds.Normal, seed: 3, noise: 0);

        Assert.Equal(3 * concepts.Length, rows.Count);
        for (int u = 0; u < concepts.Length; u++)
            for (int a = 0; a < 3; a++)
            {
                var row = rows[3 * u + a];
                Assert.Equal("layer3", row.Layer);
                Assert.Equal(unitIds[u], row.Unit);
                Assert.True(Names(row.Summary, concepts[u].Concept), $"{SimulatedAnnotation.Styles[a]} annotator said '{row.Summary}' for {concepts[u].Concept}");
            }
    }

    [Fact]
    public void A_face_unit_is_described_with_the_papers_face_words_and_a_text_unit_with_its_text_words()
    {
        using var normal = new WorldConceptMasks(_worlds.Normal);
        using var spurious = new WorldConceptMasks(_worlds.Spurious);
        using var faces = new TempFolder();
        using var texts = new TempFolder();
        WriteLayer(faces.Path, "layer4", [UnitOf(normal, v => v.Layer(ConceptLayer.Category, "face"))], 32);
        WriteLayer(texts.Path, "layer4", [UnitOf(spurious, v => v.Layer(ConceptLayer.Text, "text"))], 32);

        // With noise: every lapse and wording the simulated people have, over several seeds.
        var faceRows = Enumerable.Range(0, 8).SelectMany(seed => SimulatedAnnotation.Describe(faces.Path, _worlds.Normal, seed)).ToList();
        var textRows = Enumerable.Range(0, 8).SelectMany(seed => SimulatedAnnotation.Describe(texts.Path, _worlds.Spurious, seed)).ToList();

        double faceShare = faceRows.Count(r => Milan.Language.WordRule.FaceWords.Matched(r.Summary).Count > 0) / (double)faceRows.Count;
        double textShare = textRows.Count(r => Milan.Language.WordRule.TextWords.Matched(r.Summary).Count > 0) / (double)textRows.Count;
        Assert.True(faceShare >= 0.6, $"{faceShare:P0} name a face word: {string.Join(" | ", faceRows.Select(r => r.Summary))}");
        Assert.True(textShare >= 0.6, $"{textShare:P0} name a text word: {string.Join(" | ", textRows.Select(r => r.Summary))}");
        Assert.DoesNotContain(faceRows.Concat(textRows), r => ConceptPhrases.NamesOnlyPosition(r.Summary));
    }

    [Fact]
    public void A_unit_that_fires_on_one_corner_whatever_is_there_is_described_by_that_position()
    {
        using var masks = new WorldConceptMasks(_worlds.Normal);
        using var exemplars = new TempFolder();
        int size = masks.ImageSize;
        var corner = new byte[size * size];
        for (int y = 0; y < size / 3; y++)
            for (int x = size - size / 3; x < size; x++) corner[y * size + x] = 1;
        // Exemplars whose top right corners hold different things: no thing or colour is seen there in more than two of them.
        var ids = new List<int>();
        var seen = new Dictionary<string, int>();
        for (int i = 0; i < masks.Count && ids.Count < K; i++)
        {
            var view = SimulatedAnnotation.Content(masks, [i], [corner], size).Views[0];
            var things = view.Seen.Keys.Append(view.Colour ?? "").Where(t => t.Length > 0).ToList();
            if (things.Any(t => seen.GetValueOrDefault(t) >= 2)) continue;
            foreach (var t in things) seen[t] = seen.GetValueOrDefault(t) + 1;
            ids.Add(i);
        }
        Assert.Equal(K, ids.Count);
        WriteLayer(exemplars.Path, "layer1", [(ids.ToArray(), Enumerable.Repeat(corner, K).ToArray())], size);

        var rows = SimulatedAnnotation.Describe(exemplars.Path, _worlds.Normal, noise: 0);

        Assert.All(rows, r => Assert.True(ConceptPhrases.NamesOnlyPosition(r.Summary) && (r.Summary.Contains("right") || r.Summary.Contains("corner")),
            $"{r.Summary} is not the top right corner"));
    }

    [Theory]
    [InlineData("the top right corner", true)]
    [InlineData("things in the upper right", true)]
    [InlineData("whatever is on the left side", true)]
    [InlineData("faces in the top right corner", false)]
    [InlineData("the top of trees", false)]
    [InlineData("red things", false)]
    [InlineData("shapes", false)]
    public void A_description_that_names_only_a_position_is_told_apart(string description, bool onlyPosition) =>
        Assert.Equal(onlyPosition, ConceptPhrases.NamesOnlyPosition(description));

    [Fact]
    public void A_unit_on_red_hearts_among_other_hearts_is_called_red_hearts()
    {
        using var masks = new WorldConceptMasks(_worlds.Normal);
        using var exemplars = new TempFolder();
        var unit = UnitOf(masks, v => v.Objects(o => o.Category == "heart" && o.Colour == "red"));
        int withOtherHearts = unit.Ids.Count(i => masks.Scene(i).Objects.Any(o => o.Category == "heart" && o.Colour != "red"));
        Assert.True(withOtherHearts >= 3, $"the probe images hold other hearts in only {withOtherHearts} exemplars");
        WriteLayer(exemplars.Path, "layer2", [unit], 32);

        var rows = SimulatedAnnotation.Describe(exemplars.Path, _worlds.Normal, noise: 0);

        Assert.All(rows, row => Assert.True(Names(row.Summary, "red", "heart"), $"said '{row.Summary}'"));
    }

    [Fact]
    public void The_relational_annotator_places_spurious_text_in_the_top_left_corner()
    {
        using var masks = new WorldConceptMasks(_worlds.Spurious);
        using var exemplars = new TempFolder();
        WriteLayer(exemplars.Path, "layer4", [UnitOf(masks, v => v.Layer(ConceptLayer.Text, "text"))], 32);

        var rows = SimulatedAnnotation.Describe(exemplars.Path, _worlds.Spurious, noise: 0);

        Assert.True(Names(rows[0].Summary, "text"), rows[0].Summary);
        var relational = rows[2].Summary;
        Assert.True(Names(relational, "text") && (relational.Contains("top left") || relational.Contains("upper left")), $"relational annotator said '{relational}'");
    }

    [Fact]
    public void Units_with_nothing_highlighted_get_nothing_or_a_vague_answer()
    {
        using var exemplars = new TempFolder();
        var empty = (Enumerable.Range(0, K).ToArray(), Enumerable.Range(0, K).Select(_ => new byte[32 * 32]).ToArray());
        WriteLayer(exemplars.Path, "conv1", [empty], 32);

        var rows = SimulatedAnnotation.Describe(exemplars.Path, _worlds.Normal);

        Assert.All(rows, r => Assert.Contains(r.Summary, new[] { "nothing", "shapes", "objects", "things", "patterns", "colors", "various objects", "different shapes" }));
    }

    [Fact]
    public void Annotations_csv_has_three_lowercase_rows_per_unit_and_is_reproducible_from_the_seed()
    {
        using var masks = new WorldConceptMasks(_worlds.Normal);
        using var exemplars = new TempFolder();
        var units = new[] { "circle", "star", "flower", "heart", "car", "dots" }
            .Select(c => UnitOf(masks, v => v.Layer(Vocabulary.Named(c).Kind == ConceptKind.Texture ? ConceptLayer.Texture : ConceptLayer.Category, c))).ToArray();
        WriteLayer(exemplars.Path, "layer1", units.Take(3).ToArray(), 32);
        // Exemplar masks at another resolution than the world (e.g. upsampled for display) are resampled.
        WriteLayer(exemplars.Path, "layer2", units.Skip(3).Select(u => (u.Ids, u.Masks.Select(m => Upsample(m, 32, 64)).ToArray())).ToArray(), 64);
        string csv = Path.Combine(exemplars.Path, "annotations.csv");
        string again = Path.Combine(exemplars.Path, "again.csv");

        SimulatedAnnotation.Annotate(exemplars.Path, Path.Combine(_worlds.Normal, ".."), csv, seed: 5);
        SimulatedAnnotation.Annotate(exemplars.Path, _worlds.Normal, again, seed: 5);

        var lines = File.ReadAllLines(csv);
        Assert.Equal("layer,unit,summary", lines[0]);
        Assert.Equal(1 + 6 * 3, lines.Length);
        Assert.Equal(["layer1,0", "layer1,0", "layer1,0", "layer1,1"], lines.Skip(1).Take(4).Select(l => string.Join(",", l.Split(',').Take(2))));
        Assert.Equal("layer2", lines[^1].Split(',')[0]);
        Assert.All(lines.Skip(1), l => Assert.Matches("^[a-z0-9]+,[0-9]+,[a-z' ]+$", l));
        Assert.Equal(File.ReadAllBytes(csv), File.ReadAllBytes(again));
        Assert.True(Names(lines[^3], "dots") || Names(lines[^2], "dots") || Names(lines[^1], "dots"));
    }

    [Fact]
    public void Ids_outside_the_probe_split_are_reported_with_the_file()
    {
        using var exemplars = new TempFolder();
        WriteLayer(exemplars.Path, "layer1", [(Enumerable.Range(290, K).ToArray(), Enumerable.Range(0, K).Select(_ => new byte[32 * 32]).ToArray())], 32);
        var error = Assert.Throws<MilanInputException>(() => SimulatedAnnotation.Describe(exemplars.Path, _worlds.Normal));
        Assert.Contains("ids.csv", error.Message);
        Assert.Contains("300", error.Message);
    }

    private static byte[] Upsample(byte[] mask, int from, int to) => PixelBitsTestAccess.Resample(mask, from, to);
}

internal static class PixelBitsTestAccess
{
    public static byte[] Resample(byte[] mask, int from, int to)
    {
        var result = new byte[to * to];
        for (int y = 0; y < to; y++)
            for (int x = 0; x < to; x++)
                result[y * to + x] = mask[(y * from / to) * from + x * from / to];
        return result;
    }
}
