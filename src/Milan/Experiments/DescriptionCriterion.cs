using Milan.Language;

namespace Milan.Experiments;

/// <summary>
/// A way to score a unit by its description for the ablation analysis (paper §5, milan-spec §7.1):
/// units are ablated in decreasing order of the score.
/// </summary>
public sealed record DescriptionCriterion(string Name, Func<string, double> Score)
{
    /// <summary>
    /// The paper's criteria that work offline: counts of adjectives, nouns, verbs and prepositions
    /// (<see cref="PartOfSpeechTagger"/>, standing in for spaCy), the description length in tokens,
    /// punctuation included, and the largest dissimilarity between two of its words
    /// (<see cref="WordNetSimilarity.LargestDissimilarity"/>, standing in for spaCy word-vector
    /// distances). The reference's parse depth needs a parser and is left out.
    /// </summary>
    public static IReadOnlyList<DescriptionCriterion> Standard(PartOfSpeechTagger? tagger = null, WordNetSimilarity? similarity = null)
    {
        tagger ??= new PartOfSpeechTagger();
        similarity ??= new WordNetSimilarity();
        return
        [
            new("adjectives", d => tagger.Count(d).Adjectives),
            new("nouns", d => tagger.Count(d).Nouns),
            new("verbs", d => tagger.Count(d).Verbs),
            new("prepositions", d => tagger.Count(d).Prepositions),
            new("description-length", d => tagger.Count(d).Tokens),
            new("max-word-difference", d => similarity.LargestDissimilarity(d).Dissimilarity),
        ];
    }
}
