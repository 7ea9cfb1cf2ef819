using Milan.Language;

namespace Milan.Tests.Language;

public class CiderDTests
{
    [Fact]
    public void Idf_over_the_reference_sets_worked_by_hand()
    {
        // Two reference sets, so idf = ln 2 - ln(max(1, df)). "a" is in both sets: weight 0.
        // Every other n-gram is in one set (or none): weight L = ln 2.
        // Candidate A "a dog": 1-grams {a:0, dog:L}, 2-gram {a dog: L}.
        //   vs "a dog": cosine 1 for n = 1 and 2, 0 for n = 3, 4 (empty); vs "a cat": 0 everywhere.
        //   score = mean([1, 1, 0, 0]) / 2 references * 10 = 2.5.
        // Candidate B "a cat" vs "a bird": only "a" is shared, and it weighs 0: score 0.
        var result = CiderD.Score(["a dog", "a cat"], [["a dog", "a cat"], ["a bird"]]);
        Assert.Equal(2.5, result.PerCandidate[0], 12);
        Assert.Equal(0.0, result.PerCandidate[1], 12);
        Assert.Equal(1.25, result.Mean, 12);
    }

    [Fact]
    public void Clipping_and_gaussian_length_penalty_worked_by_hand()
    {
        // All n-grams have df <= 1 over 2 sets, so every weight is tf * L (L = ln 2).
        // A: "dog dog dog" vs "dog cat": unigram vectors (3L) and (L, L): clipped numerator
        //    min(3L, L) * L = L^2, over norms 3L * L sqrt 2 -> 1/(3 sqrt 2); higher orders 0;
        //    lengths (bigram counts) 2 and 1 -> penalty exp(-1/72). score = 10 * that / 4.
        // B: "bird" vs "bird bird": unigram min(L, 2L) * 2L / (L * 2L) = 1; lengths 0 and 1.
        var result = CiderD.Score(["dog dog dog", "bird"], [["dog cat"], ["bird bird"]]);
        var penalty = Math.Exp(-1.0 / 72);
        Assert.Equal(10 * (1 / (3 * Math.Sqrt(2))) * penalty / 4, result.PerCandidate[0], 12);
        Assert.Equal(10 * penalty / 4, result.PerCandidate[1], 12);
    }

    [Fact]
    public void Default_tokens_are_lowercase_words_without_punctuation()
    {
        Assert.Equal(["red", "dog's", "face", "3", "5"], CiderD.DefaultTokens("Red, dog's face-3.5!"));
        var same = CiderD.Score(["A dog.", "A cat"], [["a dog", "a cat"], ["a bird"]]);
        Assert.Equal(2.5, same.PerCandidate[0], 12);
    }

    [Fact]
    public void Bad_input_is_reported()
    {
        Assert.Throws<MilanInputException>(() => CiderD.Score(["a"], [[]]));
        Assert.Throws<MilanInputException>(() => CiderD.Score(["a", "b"], [["a"]]));
    }
}
