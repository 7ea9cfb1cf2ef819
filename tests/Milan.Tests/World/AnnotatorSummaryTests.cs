using Milan.World;

namespace Milan.Tests.World;

/// <summary>
/// How the simulated people sum up highlights that hold different things in different exemplars,
/// on hand-built evidence (15 exemplars, each with the things under its highlight).
/// </summary>
public class AnnotatorSummaryTests
{
    private static readonly SimulatedAnnotator[] Deterministic = SimulatedAnnotation.Styles.Select(s => new SimulatedAnnotator(s, noise: 0)).ToArray();

    /// <summary>Exemplars in which each listed thing fills the highlight, one list per exemplar; nothing is in a shared place or colour.</summary>
    private static HighlightedContent Evidence(params string[][] seen)
    {
        var views = seen.Select((things, i) => new ExemplarView(
            things.ToDictionary(t => t, _ => new Sighting(1.0 / things.Length, 0.9)), [], null,
            [ConceptVocabulary.Positions[i % ConceptVocabulary.Positions.Count]], 0.1, [], [])).ToList();
        return new HighlightedContent(views, views.Count);
    }

    private static string[][] Repeat(int times, params string[] things) => Enumerable.Repeat(things, times).ToArray();

    /// <summary>The groups dealt out in turn (a, b, c, a, b, c, ...), so that the first ten or twelve exemplars, which the terse and relational people look at, hold the same mix as all fifteen.</summary>
    private static string[][] Dealt(params string[][][] groups) =>
        Enumerable.Range(0, groups.Max(g => g.Length)).SelectMany(i => groups.Where(g => i < g.Length).Select(g => g[i])).ToArray();

    private static bool Names(string description, string concept) =>
        ConceptPhrases.Synonyms(concept).Any(s => $" {description} ".Contains($" {s} "));

    private static IEnumerable<string> Descriptions(HighlightedContent content, int seeds = 20) =>
        from annotator in Deterministic
        from seed in Enumerable.Range(0, seeds)
        select annotator.Describe(content, new WorldRandom((ulong)seed));

    [Fact]
    public void Different_animals_in_different_exemplars_are_called_animals()
    {
        // Fish, birds and cats in five exemplars each: none is common, their kind is in every exemplar.
        var content = Evidence(Dealt(Repeat(5, "fish"), Repeat(5, "bird"), Repeat(5, "cat")));

        Assert.All(Descriptions(content), d => Assert.True(Names(d, "animal"), d));
    }

    [Fact]
    public void A_face_seen_often_enough_is_named_beside_the_kind_of_the_rest()
    {
        // Faces in 6 of 15 (frequent, not common; a third of the first ten and twelve too), squares, stars and hearts in the others.
        var content = Evidence(Dealt(Repeat(6, "face"), Repeat(4, "square"), Repeat(3, "star"), Repeat(2, "heart")));

        Assert.All(Descriptions(content), d =>
        {
            Assert.True(Names(d, "shape") && Names(d, "face"), d);
        });
    }

    [Fact]
    public void Two_things_of_different_kinds_that_together_are_common_are_both_named()
    {
        // Houses in 6 exemplars and cars in 6 (each 40%: frequent, not common), 3 with nothing named.
        var content = Evidence(Dealt(Repeat(6, "house"), Repeat(6, "car"), Repeat(3)));

        Assert.All(Descriptions(content), d => Assert.True(Names(d, "house") && Names(d, "car") && d.Contains(" and "), d));
    }

    [Fact]
    public void A_thing_seen_too_rarely_to_pair_is_hedged()
    {
        // Houses in 6 of 15, cars in 2 (not frequent), nothing named in the rest: "some houses", not "houses and cars".
        var content = Evidence(Dealt(Repeat(6, "house"), Repeat(2, "car"), Repeat(7)));

        Assert.All(Descriptions(content), d =>
        {
            Assert.True(Names(d, "house") && !Names(d, "car"), d);
            Assert.DoesNotContain(d, ConceptPhrases.Synonyms("house"));
        });
    }

    [Fact]
    public void Detailed_people_sometimes_say_what_drawn_birds_are_doing_and_the_tagger_counts_it_a_verb()
    {
        var birds = Evidence(Repeat(15, "bird"));
        var squares = Evidence(Repeat(15, "square"));
        var verbose = new SimulatedAnnotator(AnnotatorStyle.Verbose);
        var terse = new SimulatedAnnotator(AnnotatorStyle.Terse);
        var tagger = new Milan.Language.PartOfSpeechTagger();
        const int draws = 2000;
        // Answers with a bird's activity tagged as a verb (the tagger also takes the "ups" of the frame "close ups of" for one).
        double Acting(SimulatedAnnotator annotator, HighlightedContent content) =>
            Enumerable.Range(0, draws).Count(seed => tagger.Tag(annotator.Describe(content, new WorldRandom((ulong)seed)))
                .Any(t => t.Tag == Milan.Language.PartOfSpeech.Verb && t.Token is "flying" or "soaring")) / (double)draws;

        // Verbose: detail 0.75 x 0.4 = 0.30 of the answers that name the birds (95% of them: 5% are lapses); terse: 0.2 x 0.4.
        Assert.InRange(Acting(verbose, birds), 0.95 * 0.30 - 0.04, 0.95 * 0.30 + 0.04);
        Assert.InRange(Acting(terse, birds), 0.95 * 0.08 - 0.025, 0.95 * 0.08 + 0.025);
        Assert.Equal(0, Acting(verbose, squares));
        Assert.Contains("birds flying", Enumerable.Range(0, 200).Select(seed => verbose.Describe(birds, new WorldRandom((ulong)seed))));
    }

    [Theory]
    [InlineData("text", true)]
    [InlineData("blue water", true)]
    [InlineData("wood grain", true)]
    [InlineData("cars", false)]
    [InlineData("red hearts", false)]
    public void Uncountable_phrases_are_told_apart(string phrase, bool mass) => Assert.Equal(mass, ConceptPhrases.IsMass(phrase));

    [Fact]
    public void Text_is_counted_with_many_or_several_only_as_words_or_letters()
    {
        var content = Evidence(Repeat(15, "text"));
        var annotator = new SimulatedAnnotator(AnnotatorStyle.Verbose);

        var said = Enumerable.Range(0, 2000).Select(seed => annotator.Describe(content, new WorldRandom((ulong)seed))).ToList();

        string[] countingFrames = ["many ", "several ", "groups of ", "a bunch of "];
        Assert.Contains(said, d => d.StartsWith("lots of text") || d.StartsWith("mostly text"));
        Assert.Contains(said, d => countingFrames.Any(d.StartsWith));  // "many words", "groups of letters"
        Assert.DoesNotContain(said, d => countingFrames.Any(f => d.StartsWith(f) && ConceptPhrases.IsMass(d[f.Length..])));
    }
}
