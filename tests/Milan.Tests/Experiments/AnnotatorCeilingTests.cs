using Milan.Experiments;
using Milan.Language;
using Milan.Tests.Support;
using Milan.World;

namespace Milan.Tests.Experiments;

public class AnnotatorCeilingTests
{
    private static string SpuriousTextWorld(TempFolder folder, int valImages)
    {
        string world = folder.File("world");
        WorldGenerator.Generate(WorldDatasets.A, WorldVariant.SpuriousText(), new WorldSettings(32, 0, valImages, 0), world);
        return Path.Combine(world, "val");
    }

    [Fact]
    public void People_shown_ideal_face_and_text_units_mostly_name_them_and_their_lapses_are_what_the_rule_misses()
    {
        using var folder = new TempFolder();
        string probe = SpuriousTextWorld(folder, 120);

        var face = AnnotatorCeiling.Measure(probe, "face", WordRule.FaceWords, units: 40)!;
        var text = AnnotatorCeiling.Measure(probe, ConceptVocabulary.TextName, WordRule.TextWords, units: 40)!;

        foreach (var ceiling in new[] { face, text })
        {
            Assert.Equal((40, 120), (ceiling.Units, ceiling.Annotations));
            // Vague lapses (5% of answers) and names the rule does not match ("portraits", "captions") keep it below 1.
            Assert.InRange(ceiling.WordShare, 0.8, 0.99);
            Assert.Equal(ceiling.Annotations * (1 - ceiling.WordShare), ceiling.Misses.Sum(m => m.Count), 9);
        }
        Assert.All(face.Misses, m => Assert.False(WordRule.FaceWords.Matches(m.Summary), m.Summary));
        Assert.All(text.Misses, m => Assert.False(WordRule.TextWords.Matches(m.Summary), m.Summary));
        var again = AnnotatorCeiling.Measure(probe, "face", WordRule.FaceWords, units: 40)!;
        Assert.Equal(face.WordShare, again.WordShare);
        Assert.Equal(face.Misses, again.Misses);
    }

    [Fact]
    public void A_rule_that_matches_nothing_misses_every_annotation_and_fewer_than_fifteen_images_give_no_ceiling()
    {
        using var folder = new TempFolder();
        string probe = SpuriousTextWorld(folder, 12);

        // 12 images cannot give 15 exemplars.
        Assert.Null(AnnotatorCeiling.Measure(probe, ConceptVocabulary.TextName, WordRule.TextWords, units: 3));

        using var larger = new TempFolder();
        var ceiling = AnnotatorCeiling.Measure(SpuriousTextWorld(larger, 40), ConceptVocabulary.TextName, WordRule.WholeWords("nothing", "zebra"), units: 3)!;
        Assert.Equal(0, ceiling.WordShare);
        Assert.Equal(9, ceiling.Misses.Sum(m => m.Count));
    }
}
