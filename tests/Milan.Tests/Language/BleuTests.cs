using System.Globalization;
using System.Text.Json;
using Milan.Language;
using Milan.Tests.Support;

namespace Milan.Tests.Language;

public class BleuTests
{
    private static IReadOnlyList<IReadOnlyList<string?>> Refs(params string[][] perSegment) => perSegment;

    [Theory]
    [InlineData("Hello, world!", "Hello , world !")]
    [InlineData("3.5 million, 1,000 people.", "3.5 million , 1,000 people .")]
    [InlineData("don't stop-gap 2-3", "don't stop-gap 2 - 3")]
    [InlineData("&quot;quoted&quot; &amp; more", "\" quoted \" & more")]
    [InlineData("e.g. (test)", "e . g . ( test )")]
    [InlineData("x<skipped>y", "xy")]
    [InlineData("tabs\tand  spaces", "tabs and spaces")]
    [InlineData("$5/10 {a} [b] ~c@d", "$ 5 / 10 { a } [ b ] ~ c @ d")]
    public void Tokenizer_13a_splits_as_sacrebleu(string line, string expected)
    {
        // Expected strings worked out from sacrebleu 1.5.1's regexes (and checked with Python's re).
        Assert.Equal(expected, SacreBleuTokenizer13a.Tokenize(line));
    }

    [Fact]
    public void Single_reference_case_worked_by_hand()
    {
        // hyp: the cat sat on the mat / ref: the cat is on the mat (6 tokens each, BP = 1)
        // 1-grams 5/6, 2-grams 3/5 (the cat, on the, the mat), 3-grams 1/4 (on the mat),
        // 4-grams 0/3 -> exp smoothing 1/(2*3). BLEU = 100 * (5/6 * 3/5 * 1/4 * 1/6)^(1/4) = 100 * 48^(-1/4).
        var score = Bleu.ForSegments(["the cat sat on the mat"], Refs(["the cat is on the mat"]));
        Assert.Equal(100 * Math.Pow(48, -0.25), score.Score, 10);
        Assert.Equal([500.0 / 6, 60.0, 25.0, 100.0 / 6], score.Precisions.ToArray(), new ToleranceComparer(1e-10));
        Assert.Equal([5L, 3, 1, 0], score.Counts);
        Assert.Equal([6L, 5, 4, 3], score.Totals);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal((6L, 6L), (score.SystemLength, score.ReferenceLength));
    }

    [Fact]
    public void Multi_reference_corpus_with_brevity_penalty_worked_by_hand()
    {
        // Segment 1: "a red car." -> a red car . (4 tokens); refs of 6 and 4 tokens -> closest 4.
        //   1-grams 4/4; 2-grams a red (ref 1), red car, car . (ref 2) 3/3; 3-grams a red car, red car . 2/2;
        //   4-gram "a red car ." in neither reference 0/1.
        // Segment 2: "dogs" (1 token); refs of 3 and 2 tokens -> closest 2; 1-gram 1/1.
        // Corpus: 5/5, 3/3, 2/2, 0/1 -> p4 = 100/(2*1) = 50; c = 5, r = 6, BP = exp(1 - 6/5).
        var score = Bleu.ForSegments(
            ["a red car.", "dogs"],
            Refs(["a red car is parked.", "the red car."], ["dogs and cats", "two dogs"]));
        Assert.Equal(Math.Exp(-0.2), score.BrevityPenalty, 12);
        Assert.Equal(100 * Math.Exp(-0.2) * Math.Pow(0.5, 0.25), score.Score, 10);
        Assert.Equal([100.0, 100.0, 100.0, 50.0], score.Precisions.ToArray(), new ToleranceComparer(1e-10));
        Assert.Equal((5L, 6L), (score.SystemLength, score.ReferenceLength));
    }

    [Fact]
    public void Exp_smoothing_halves_again_for_each_further_order_without_matches()
    {
        // x y z w vs x q z r: 1-grams 2/4; 2-, 3-, 4-grams have no match:
        // p2 = 100/(2*3), p3 = 100/(4*2), p4 = 100/(8*1).
        var score = Bleu.ForSegments(["x y z w"], Refs(["x q z r"]));
        double[] expected = [50, 100.0 / 6, 12.5, 12.5];
        Assert.Equal(expected, score.Precisions.ToArray(), new ToleranceComparer(1e-10));
        Assert.Equal(Math.Exp(expected.Sum(Math.Log) / 4), score.Score, 10);
    }

    [Fact]
    public void A_corpus_shorter_than_four_tokens_per_segment_scores_zero()
    {
        // No 4-gram at all: sacrebleu stops at that order, its precision stays 0 and BLEU is 0.
        var score = Bleu.ForSegments(["a red car"], Refs(["a red car"]));
        Assert.Equal(0.0, score.Score);
        Assert.Equal([100.0, 100.0, 100.0, 0.0], score.Precisions.ToArray());
    }

    [Fact]
    public void Ties_in_closest_reference_length_take_the_shorter_reference()
    {
        // hyp 3 tokens, refs of 2 and 4 tokens: both differ by 1; sacrebleu keeps 2 -> no penalty.
        var score = Bleu.ForSegments(["one two three"], Refs(["one two", "one two three four"]));
        Assert.Equal(2, score.ReferenceLength);
        Assert.Equal(1.0, score.BrevityPenalty);
    }

    [Fact]
    public void Streams_equal_segments_and_empty_references_are_dropped()
    {
        string[] hyps = ["a red car.", "dogs"];
        var streams = new IReadOnlyList<string?>[] { ["a red car is parked.", "dogs and cats"], ["the red car.", ""] };
        var fromStreams = Bleu.FromStreams(hyps, streams);
        var fromSegments = Bleu.ForSegments(hyps, Refs(["a red car is parked.", "the red car."], ["dogs and cats"]));
        Assert.Equal(fromSegments.Score, fromStreams.Score, 12);
        Assert.Equal(fromSegments.ReferenceLength, fromStreams.ReferenceLength);
    }

    [Fact]
    public void Case_sensitive_and_bad_input_is_reported()
    {
        Assert.Equal(0.0, Bleu.ForSegments(["The Cat Sat On"], Refs(["the cat sat on"])).Counts[0]);
        Assert.Throws<MilanInputException>(() => Bleu.ForSegments(["a b c d"], Refs([""])));
        Assert.Throws<MilanInputException>(() => Bleu.FromStreams(["a b c d"], [["x", "y"]]));
    }

    /// <summary>
    /// Cross-check against an independent implementation: Debian's python3-nltk (installed by
    /// scripts/setup.sh). NLTK's corpus_bleu with SmoothingFunction().method3 is the NIST geometric
    /// smoothing, 1/(2^k · total) for the k-th order without matches, which is sacrebleu's "exp";
    /// it clips against the maximum reference counts, picks the closest reference length with ties
    /// to the shorter, and sums over the corpus as sacrebleu does. The two differ only where a
    /// hypothesis has fewer than 4 tokens (NLTK then counts a denominator of 1) or where no unigram
    /// matches, so every hypothesis here has at least 4 tokens. The Python side tokenizes with its
    /// own transcription of the 13a regexes, run by Python's re engine, so the C# tokenizer is
    /// checked too.
    /// </summary>
    [Fact]
    public void Matches_nltk_corpus_bleu_with_nist_smoothing_on_a_fixture()
    {
        string[] hyps =
        [
            "red and white striped objects", "the top of a car, next to a tree.", "dog faces and cupcakes",
            "text in the top-left corner", "blue sky above the buildings", "wheels of cars and trucks",
            "people walking in a park", "vertical lines (dark)", "the letters on a sign!", "water surface with waves",
            "animal heads and dog's faces", "grass fields, 3.5 km wide",
        ];
        string[][] refs =
        [
            ["red & white stripes", "striped red objects", "white and red striped patterns"],
            ["the top of cars", "car tops next to trees.", "the roof of a car"],
            ["faces of dogs", "dog faces", "cupcakes and dog faces"],
            ["text", "words in the top-left corner", "text in corners"],
            ["sky above buildings", "blue sky", "the sky over the buildings"],
            ["wheels of trucks", "car wheels", "wheels"],
            ["people in a park", "people walking on a path", "walking people"],
            ["vertical lines", "dark vertical stripes", "lines (vertical)"],
            ["letters on signs", "text on a sign", "the letters"],
            ["water", "waves on the water surface", "water with waves"],
            ["animal heads", "dog faces", "heads of dogs and animals"],
            ["grass", "fields of grass", "green grass fields"],
        ];
        var ours = Bleu.ForSegments(hyps, refs);

        const string script = """
            import json, re, sys
            from nltk.translate.bleu_score import corpus_bleu, SmoothingFunction
            RULES = [(re.compile(r'([\{-\~\[-\` -\&\(-\+\:-\@\/])'), r' \1 '),
                     (re.compile(r'([^0-9])([\.,])'), r'\1 \2 '),
                     (re.compile(r'([\.,])([^0-9])'), r' \1 \2'),
                     (re.compile(r'([0-9])(-)'), r'\1 \2 '),
                     (re.compile(r'\s+'), r' ')]
            def tok13a(line):
                for a, b in [('<skipped>', ''), ('-\n', ''), ('\n', ' '), ('&quot;', '"'), ('&amp;', '&'), ('&lt;', '<'), ('&gt;', '>')]:
                    line = line.replace(a, b)
                line = ' ' + line + ' '
                for pattern, repl in RULES:
                    line = pattern.sub(repl, line)
                return line.strip().split()
            data = json.load(sys.stdin)
            hyps = [tok13a(h.rstrip()) for h in data['hyps']]
            refs = [[tok13a(r.rstrip()) for r in rs] for rs in data['refs']]
            assert all(len(h) >= 4 for h in hyps)
            print(repr(100 * corpus_bleu(refs, hyps, smoothing_function=SmoothingFunction().method3)))
            """;
        var input = JsonSerializer.Serialize(new { hyps, refs });
        var output = DebianPython.RunWithInput(script, input);
        var nltk = double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(nltk, ours.Score, 9);
        Assert.InRange(ours.Score, 1, 99); // the fixture is neither trivial nor hopeless
    }
}


internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(double obj) => 0;
}

public class MetricTextTests
{
    [Theory]
    [InlineData("Dog faces.", "dog faces")]
    [InlineData(" . Red cars . ", "red cars")]
    [InlineData("e.g. text", "e.g. text")]
    public void Normalizes_like_lower_then_strip_period_and_space(string text, string expected)
    {
        Assert.Equal(expected, MetricText.Normalize(text));
    }
}
