using Milan.Language;

namespace Milan.Tests.Language;

public class RougeTests
{
    private const double Eps = 1e-8; // the package's F denominator term

    private static double F(double p, double r) => 2 * (p * r / (p + r + Eps));

    [Fact]
    public void One_pair_worked_by_hand()
    {
        // hyp: the cat sat on the mat / ref: the cat is on the mat
        // unigram sets {the,cat,sat,on,mat} and {the,cat,is,on,mat}: overlap 4 of 5 each.
        // bigram sets of 5 each, overlap {the cat, on the, the mat} = 3.
        // LCS = the cat on the mat, distinct words {the,cat,on,mat} = 4, over 5 distinct words each.
        var (r1, r2, rl) = Rouge.Pair("the cat sat on the mat", "the cat is on the mat")!.Value;
        Assert.Equal(new RougeTriple(F(0.8, 0.8), 0.8, 0.8), r1);
        Assert.Equal(new RougeTriple(F(0.6, 0.6), 0.6, 0.6), r2);
        Assert.Equal(new RougeTriple(F(0.8, 0.8), 0.8, 0.8), rl);
    }

    [Fact]
    public void Counts_distinct_ngrams_and_words_as_the_package_does()
    {
        // "Exclusive" mode: repeated words count once, so a stutter scores perfectly.
        var (r1, _, rl) = Rouge.Pair("red red red", "red")!.Value;
        Assert.Equal(1.0, r1.Precision);
        Assert.Equal(1.0, rl.Precision);
        Assert.Equal(1.0, rl.Recall);
    }

    [Fact]
    public void Sentences_split_on_periods_with_ngrams_across_them_and_a_union_lcs()
    {
        // hyp sentences [a dog, a cat], ref [a cat, a dog]. Words: {a,dog,cat} both -> ROUGE-1 = 1.
        // Bigrams run across sentences: hyp {a dog, dog a, a cat}, ref {a cat, cat a, a dog}: 2 of 3.
        // ROUGE-L: ref "a cat" vs hyp sentences gives {a} and {a,cat}; ref "a dog" gives {a,dog} and {a}:
        // union {a,cat,dog} = 3 over 3 distinct words on each side.
        var (r1, r2, rl) = Rouge.Pair("a dog. a cat", "a cat. a dog")!.Value;
        Assert.Equal(1.0, r1.Recall);
        Assert.Equal(2.0 / 3, r2.Precision, 12);
        Assert.Equal(2.0 / 3, r2.Recall, 12);
        Assert.Equal(1.0, rl.Precision);
        Assert.Equal(1.0, rl.Recall);
    }

    [Fact]
    public void Lcs_back_tracking_prefers_moving_left_on_ties()
    {
        // x = a b, y = b a: both "a" and "b" are LCSs; the package's back-tracking returns "b".
        Assert.Equal(["b"], Rouge.LongestCommonSubsequence(["a", "b"], ["b", "a"]));
        Assert.Equal(["a", "c", "d"], Rouge.LongestCommonSubsequence(["a", "b", "c", "d"], ["a", "c", "x", "d"]));
    }

    [Fact]
    public void Each_prediction_is_scored_against_each_reference_and_empty_pairs_are_skipped()
    {
        // Pairs: (hyp1, ref1) ROUGE-1 P 0.8; (hyp1, "red red red") P 0; ("", "x") skipped -> mean over 2 pairs.
        var scores = Rouge.Score(
            ["the cat sat on the mat", ""],
            [["the cat is on the mat", "red red red"], ["x"]]);
        Assert.Equal(2, scores.Pairs);
        Assert.Equal(0.4, scores.Rouge1.Precision, 12);
        Assert.Equal(0.3, scores.Rouge2.Recall, 12);
        Assert.Throws<MilanInputException>(() => Rouge.Score([""], [["a"]]));
        Assert.Null(Rouge.Pair(".", "a dog"));
    }

    [Fact]
    public void Text_is_not_lowercased_nor_stripped_of_punctuation()
    {
        var (r1, _, _) = Rouge.Pair("Dog, cat", "dog cat")!.Value;
        // Words "Dog," and "cat" against "dog" and "cat": only "cat" matches.
        Assert.Equal(0.5, r1.Precision);
    }
}
