using System.Collections.Concurrent;

namespace Milan.Language;

/// <summary>
/// An offline token similarity from WordNet, and the BERTScore-style metric built on it. This is
/// NOT BERTScore-roberta: it needs no download, is not contextual, and its numbers are not
/// comparable with the paper's BERTScore.
/// </summary>
/// <remarks>
/// <para>Similarity of two words (lowercased): 1 if the strings are equal. Otherwise each word is
/// reduced to its senses (none for the closed-class words of <see cref="ClosedClassWords"/>, which
/// WordNet would read as nouns such as "a" = vitamin A or "in" = inch): for every part of speech, its WordNet base forms
/// (<see cref="WordNetLexicon.BaseForms"/>) and the first <see cref="SensesPerPartOfSpeech"/>
/// synsets of each, in WordNet's sense order (most frequent first). A word with no sense scores 0
/// against any other word. Two sense sets score the Wu-Palmer similarity maximised over common
/// ancestors c: 2·depth(c) / (d₁(c) + d₂(c) + 2·depth(c)), where dᵢ(c) is the fewest parent links
/// from a sense of word i up to c and depth(c) is 1 + the fewest links from c to a synset with no
/// parent. Words with no common ancestor score 0.</para>
/// <para>What it rewards: synonyms (a shared synset) score 1; a word and its close hypernym or a
/// close sibling score high (dog/puppy 0.95, car/truck 0.91, dog/cat 0.86, red/blue 0.89); words
/// from different branches score low (tree/sky 0.24, dog/text 0.13, red/dog 0.27); words outside
/// WordNet (function words, typos) match only themselves. Restricting to the most frequent senses
/// keeps rare senses ("cat" as a tractor) from making unrelated words similar.</para>
/// <para>As an <see cref="ITokenSimilarityModel"/>, the tokens of a sentence are its
/// <see cref="DescriptionWords.Words"/> (punctuation dropped), with no special tokens.</para>
/// </remarks>
public sealed class WordNetSimilarity : ITokenSimilarityModel
{
    private readonly WordNetLexicon lexicon;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<int, int>> wordAncestors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> depths = new();

    /// <param name="lexicon">The WordNet extract; null: the bundled one.</param>
    /// <param name="sensesPerPartOfSpeech">How many of each base form's most frequent senses to use per part of speech.</param>
    public WordNetSimilarity(WordNetLexicon? lexicon = null, int sensesPerPartOfSpeech = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sensesPerPartOfSpeech, 1);
        this.lexicon = lexicon ?? WordNetLexicon.Bundled;
        SensesPerPartOfSpeech = sensesPerPartOfSpeech;
    }

    /// <summary>How many senses of each base form are used per part of speech.</summary>
    public int SensesPerPartOfSpeech { get; }

    /// <summary>Every similarity lies in [0, 1]: 1 for equal words and synonyms, 0 with no common ancestor.</summary>
    public (double Lower, double Upper) SimilarityRange => (0, 1);

    public string Name => $"WordNet Wu-Palmer word similarity, {SensesPerPartOfSpeech} senses per part of speech (offline; not BERTScore-roberta)";

    /// <summary>The BERTScore formula over this similarity, with idf and no rescaling (no baseline exists for it).</summary>
    public static BertScorer CreateScorer(WordNetSimilarity? similarity = null) =>
        new(similarity ?? new WordNetSimilarity(), new BertScoreOptions { UseIdf = true });

    /// <summary>True when the word has at least one WordNet sense.</summary>
    public bool IsKnown(string word) => Ancestors(word.ToLowerInvariant()).Count > 0;

    /// <summary>The similarity of two words, in [0, 1].</summary>
    public double Similarity(string first, string second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        first = first.ToLowerInvariant();
        second = second.ToLowerInvariant();
        if (first == second) return 1.0;
        var a = Ancestors(first);
        var b = Ancestors(second);
        if (a.Count > b.Count) (a, b) = (b, a);
        var best = 0.0;
        foreach (var (ancestor, distanceA) in a)
        {
            if (!b.TryGetValue(ancestor, out var distanceB)) continue;
            var depth = Depth(ancestor);
            best = Math.Max(best, 2.0 * depth / (distanceA + distanceB + 2.0 * depth));
        }
        return best;
    }

    /// <summary>
    /// The largest dissimilarity (1 - similarity) between two of the description's words that have
    /// WordNet senses (closed-class and unknown words are left out, since they would all be at
    /// dissimilarity 1); 0 when fewer than two such words. Returns the pair too.
    /// </summary>
    public WordPairDissimilarity LargestDissimilarity(string description)
    {
        var words = DescriptionWords.Words(description).Distinct(StringComparer.Ordinal).Where(IsKnown).ToList();
        var result = new WordPairDissimilarity(0.0, null, null);
        for (var i = 0; i < words.Count; i++)
            for (var j = i + 1; j < words.Count; j++)
            {
                var d = 1.0 - Similarity(words[i], words[j]);
                if (d > result.Dissimilarity) result = new WordPairDissimilarity(d, words[i], words[j]);
            }
        return result;
    }

    public IReadOnlyList<TokenizedSentence> Tokenize(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null) =>
        sentences.Select(s => new TokenizedSentence(DescriptionWords.Words(s))).ToList();

    public double[,] Similarities(TokenizedSentence candidate, TokenizedSentence reference)
    {
        var result = new double[candidate.Tokens.Count, reference.Tokens.Count];
        for (var i = 0; i < candidate.Tokens.Count; i++)
            for (var j = 0; j < reference.Tokens.Count; j++)
                result[i, j] = Similarity(candidate.Tokens[i], reference.Tokens[j]);
        return result;
    }

    /// <summary>Every ancestor of the word's senses (the senses included), with the fewest links from any sense.</summary>
    private IReadOnlyDictionary<int, int> Ancestors(string word) => wordAncestors.GetOrAdd(word, w =>
    {
        var distances = new Dictionary<int, int>();
        // Closed-class words have no senses here: WordNet's "a" (vitamin A) or "in" (inch) are not what a description means.
        if (ClosedClassWords.Tag(w) is not null) return distances;
        var queue = new Queue<int>();
        foreach (var pos in Enum.GetValues<WordNetPartOfSpeech>())
            foreach (var form in lexicon.BaseForms(w, pos))
                foreach (var sense in lexicon.Synsets(form, pos).Take(SensesPerPartOfSpeech))
                    if (distances.TryAdd(sense, 0)) queue.Enqueue(sense);
        // Breadth-first from all senses at once gives the fewest links to each ancestor.
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            foreach (var parent in lexicon.Parents(s))
                if (distances.TryAdd(parent, distances[s] + 1)) queue.Enqueue(parent);
        }
        return distances;
    });

    /// <summary>1 + the fewest parent links from the synset to a synset with no parent.</summary>
    private int Depth(int synset) => depths.GetOrAdd(synset, s =>
    {
        var seen = new HashSet<int> { s };
        var frontier = new List<int> { s };
        for (var depth = 1; ; depth++)
        {
            if (frontier.Any(x => lexicon.Parents(x).Count == 0)) return depth;
            frontier = frontier.SelectMany(lexicon.Parents).Where(seen.Add).ToList();
            if (frontier.Count == 0) throw new InvalidOperationException($"synset {s}: its parent links form a cycle");
        }
    });
}

/// <summary>The most dissimilar pair of words of a description (null words when there is no pair).</summary>
public readonly record struct WordPairDissimilarity(double Dissimilarity, string? First, string? Second);
