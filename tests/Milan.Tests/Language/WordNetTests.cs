using Milan.Language;

namespace Milan.Tests.Language;

public class WordNetTests
{
    /// <summary>
    /// A hand-built extract. Nouns: 0 entity (root, depth 1); 1 animal (depth 2); 2 dog, 3 cat
    /// (depth 3, under animal); 4 puppy (depth 4, under dog); 5 artifact (depth 2); 6 car (depth 3).
    /// Verb 7 run (a root of its own). Lemma "kitty" lists a car sense first, then cat.
    /// </summary>
    private const string Tiny = """
        #tiny test extract
        S	8
        n	
        n	0
        n	1
        n	1
        n	2
        n	0
        n	5
        v	
        L	9
        animal	1
        car	6
        cat	3
        dog	2	n:5
        hound	2
        kitty	6,3
        mouse	3
        puppy	4
        run	7
        E	2
        n	mice	mouse
        v	ran	run
        """;

    private static WordNetLexicon TinyLexicon() => WordNetLexicon.Parse(new StringReader(Tiny), "tiny");

    [Fact]
    public void Wu_palmer_similarity_worked_by_hand()
    {
        var similarity = new WordNetSimilarity(TinyLexicon());
        // dog, cat: common ancestors animal (depth 2, one link each) -> 4 / (1 + 1 + 4) = 2/3,
        // entity (depth 1, two links each) -> 2 / 6; the best is 2/3.
        Assert.Equal(2.0 / 3, similarity.Similarity("dog", "cat"), 12);
        // puppy, dog: dog itself (depth 3), one link from puppy -> 6 / 7.
        Assert.Equal(6.0 / 7, similarity.Similarity("puppy", "dog"), 12);
        // dog, car: only entity -> 2 / (2 + 2 + 2).
        Assert.Equal(1.0 / 3, similarity.Similarity("dog", "car"), 12);
        // Synonyms share a synset; a verb and a noun share nothing.
        Assert.Equal(1.0, similarity.Similarity("hound", "dog"));
        Assert.Equal(0.0, similarity.Similarity("run", "dog"));
    }

    [Fact]
    public void Unknown_words_match_only_themselves_and_case_is_ignored()
    {
        var similarity = new WordNetSimilarity(TinyLexicon());
        Assert.Equal(1.0, similarity.Similarity("xyz", "XYZ"));
        Assert.Equal(0.0, similarity.Similarity("xyz", "dog"));
        Assert.False(similarity.IsKnown("the"));
        Assert.True(similarity.IsKnown("Dogs"));
    }

    [Fact]
    public void Inflections_go_through_morphy_and_only_the_first_senses_count()
    {
        var similarity = new WordNetSimilarity(TinyLexicon());
        Assert.Equal(6.0 / 7, similarity.Similarity("puppies", "dogs"), 12); // -ies -> y, -s -> ""
        Assert.Equal(1.0, similarity.Similarity("mice", "cat"));              // exception list: mice -> mouse (= cat's synset)
        Assert.Equal(0.0, similarity.Similarity("ran", "cat"));               // ran -> run (a verb)
        // kitty's first sense is car: with one sense per part of speech it is car-like (1/3 to cat),
        // with two it shares cat's synset.
        Assert.Equal(1.0 / 3, new WordNetSimilarity(TinyLexicon(), sensesPerPartOfSpeech: 1).Similarity("kitty", "cat"), 12);
        Assert.Equal(1.0, new WordNetSimilarity(TinyLexicon(), sensesPerPartOfSpeech: 2).Similarity("kitty", "cat"));
    }

    [Fact]
    public void Morphy_applies_exceptions_or_the_detachment_rules_once()
    {
        var lexicon = TinyLexicon();
        Assert.Equal(["dog"], lexicon.BaseForms("dogs", WordNetPartOfSpeech.Noun));
        Assert.Equal(["puppy"], lexicon.BaseForms("puppies", WordNetPartOfSpeech.Noun));
        Assert.Equal(["mouse"], lexicon.BaseForms("mice", WordNetPartOfSpeech.Noun));
        Assert.Equal(["run"], lexicon.BaseForms("ran", WordNetPartOfSpeech.Verb));
        Assert.Equal(["run"], lexicon.BaseForms("runs", WordNetPartOfSpeech.Verb));
        Assert.Empty(lexicon.BaseForms("dogs", WordNetPartOfSpeech.Verb));
        Assert.Empty(lexicon.BaseForms("dogss", WordNetPartOfSpeech.Noun)); // nouns in -ss get no rule
        Assert.Equal([WordNetPartOfSpeech.Noun], lexicon.PartsOfSpeech("cats"));
        Assert.Equal(5, lexicon.TagCount("dogs", WordNetPartOfSpeech.Noun));
    }

    [Fact]
    public void Largest_dissimilarity_is_over_pairs_of_known_words()
    {
        var similarity = new WordNetSimilarity(TinyLexicon());
        // dog-cat 1/3, dog-car 2/3, cat-car 2/3: the first largest pair found is (dog, car). "the", "and", "a" are skipped.
        var result = similarity.LargestDissimilarity("the dog and the cat and a car");
        Assert.Equal(2.0 / 3, result.Dissimilarity, 12);
        Assert.Equal(("dog", "car"), (result.First, result.Second));
        Assert.Equal(new WordPairDissimilarity(0, null, null), similarity.LargestDissimilarity("the dog"));
        Assert.Equal(0.0, similarity.LargestDissimilarity("dogs and dogs").Dissimilarity);
    }

    [Fact]
    public void Metric_over_wordnet_similarity_worked_by_hand()
    {
        // "dog" vs "puppy": one token each, no specials: P = R = F = 6/7 (idf weights cancel).
        var scorer = WordNetSimilarity.CreateScorer(new WordNetSimilarity(TinyLexicon()));
        var result = scorer.Score(["dog!"], [["puppy", "car"]]);
        Assert.Equal(6.0 / 7, result.Mean.F, 12);
        Assert.Contains("not BERTScore-roberta", result.ModelName);
    }

    [Fact]
    public void Malformed_extracts_are_reported_with_the_line()
    {
        var bad = Tiny.Replace("n\t0\nn\t1\n", "n\t0\nx\t1\n");
        var error = Assert.Throws<MilanInputException>(() => WordNetLexicon.Parse(new StringReader(bad), "bad.tsv"));
        Assert.Contains("bad.tsv", error.Message);
        Assert.Throws<MilanInputException>(() => WordNetLexicon.Parse(new StringReader(Tiny.Replace("dog\t2", "dog\t99")), "bad.tsv"));
        Assert.Throws<MilanInputException>(() => WordNetLexicon.Load("/nonexistent/wordnet.tsv.gz"));
    }

    [Fact]
    public void Bundled_extract_loads_with_morphology()
    {
        var lexicon = WordNetLexicon.Bundled;
        Assert.InRange(lexicon.LemmaCount, 70_000, 90_000);
        Assert.Equal(["dog"], lexicon.BaseForms("dogs", WordNetPartOfSpeech.Noun));
        Assert.Equal(["run"], lexicon.BaseForms("running", WordNetPartOfSpeech.Verb));
        Assert.Equal(["run"], lexicon.BaseForms("ran", WordNetPartOfSpeech.Verb));
        Assert.Equal(["glasses", "glass"], lexicon.BaseForms("glasses", WordNetPartOfSpeech.Noun));
        Assert.Equal(["stripe", "strip"], lexicon.BaseForms("striped", WordNetPartOfSpeech.Verb)); // -ed -> e, then -ed -> ""
        Assert.Equal(["striped"], lexicon.BaseForms("striped", WordNetPartOfSpeech.Adjective));
        Assert.Equal(["mouse"], lexicon.BaseForms("mice", WordNetPartOfSpeech.Noun));
        // SemCor tag counts from cntlist.rev (animal: n 67, a 1), summed over base forms.
        Assert.Equal(67, lexicon.TagCount("animals", WordNetPartOfSpeech.Noun));
        Assert.Equal(1, lexicon.TagCount("animal", WordNetPartOfSpeech.Adjective));
        Assert.Equal(0, lexicon.TagCount("zxqv", WordNetPartOfSpeech.Noun));
    }

    /// <summary>The examples quoted in WordNetSimilarity's documentation and docs/metrics.md.</summary>
    [Theory]
    [InlineData("car", "automobile", 1.0)]
    [InlineData("dog", "puppy", 0.95)]
    [InlineData("car", "truck", 0.91)]
    [InlineData("red", "blue", 0.89)]
    [InlineData("dog", "cat", 0.86)]
    [InlineData("tree", "sky", 0.24)]
    [InlineData("red", "dog", 0.27)]
    [InlineData("dog", "text", 0.13)]
    public void Bundled_similarity_rewards_synonyms_and_close_relatives(string a, string b, double documented)
    {
        Assert.Equal(documented, new WordNetSimilarity().Similarity(a, b), 2);
    }

    [Fact]
    public void Closed_class_words_have_no_senses()
    {
        // WordNet lists "a" (vitamin A) and "in" (inch) as nouns; here they only match themselves.
        var s = new WordNetSimilarity();
        Assert.True(WordNetLexicon.Bundled.IsLemma("a", WordNetPartOfSpeech.Noun));
        Assert.Equal(0.0, s.Similarity("a", "vitamin"));
        Assert.Equal(0.0, s.Similarity("in", "inch"));
        Assert.Equal(1.0, s.Similarity("in", "in"));
        var pair = s.LargestDissimilarity("a dog in a car");
        Assert.Equal(("dog", "car"), (pair.First, pair.Second));
    }

    [Fact]
    public void Bundled_similarity_orders_related_above_unrelated()
    {
        var s = new WordNetSimilarity();
        Assert.True(s.Similarity("dog", "puppy") > s.Similarity("dog", "cat"));
        Assert.True(s.Similarity("dog", "cat") > s.Similarity("dog", "car"));
        Assert.True(s.Similarity("dogs", "puppies") > s.Similarity("dogs", "buildings"));
        Assert.True(s.Similarity("face", "head") > s.Similarity("face", "grass"));
    }
}
