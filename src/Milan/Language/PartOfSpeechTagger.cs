namespace Milan.Language;

/// <summary>
/// An offline part-of-speech tagger for short unit descriptions ("red and white striped objects",
/// "the top of a car next to a tree"), from the closed classes in <see cref="ClosedClassWords"/>
/// and the open classes of WordNet (<see cref="WordNetLexicon"/>, with inflections resolved by
/// WordNet's morphy). It stands in for the reference's spaCy en_core_web_lg tags in the ablation
/// analysis; it is rule-based, not statistical, so it can disagree with spaCy on ambiguous words.
/// </summary>
/// <remarks>
/// Tokens are <see cref="DescriptionWords.Split"/>. A closed-class word takes its class. An
/// open-class word takes the WordNet parts of speech it can have (a word in no lexicon is a noun);
/// with one candidate, that one; with several, the first rule that applies, tokens being decided
/// from right to left so that the next token's tag is known:
/// <list type="number">
/// <item>a word ending in "-ly" that can be an adverb is an adverb;</item>
/// <item>followed by a noun or an adjective (a pre-modifier): a noun if it can be one and either
/// cannot be an adjective or its noun senses are more than 3 times as frequent as its adjective
/// senses in SemCor (WordNet's tag counts: "animal heads", "metal surfaces", "dog faces"); else an
/// adjective if it can be one ("red cars", "top left corner", "striped objects"), else verb, else adverb;</item>
/// <item>followed by a conjunction: the tag of the word after the conjunction, if it can take it
/// ("red and white striped" → red is an adjective like white; "faces and cupcakes" → noun);</item>
/// <item>an inflected verb form in -ing or -ed, or an irregular verb form, that comes after an
/// open-class word, a pronoun or an auxiliary is a verb ("dogs running on grass", "is painted");</item>
/// <item>followed by a preposition, a word that can be an adverb but not a noun is an adverb
/// ("next to a tree");</item>
/// <item>otherwise the first possible of noun, adjective, verb, adverb (the head of a noun phrase).</item>
/// </list>
/// </remarks>
public sealed class PartOfSpeechTagger
{
    /// <summary>How much more frequent the noun reading of a modifier must be for it to be tagged a noun.</summary>
    public const int NounOverAdjectiveRatio = 3;

    private readonly WordNetLexicon lexicon;

    /// <param name="lexicon">The WordNet extract; null: the bundled one.</param>
    public PartOfSpeechTagger(WordNetLexicon? lexicon = null) => this.lexicon = lexicon ?? WordNetLexicon.Bundled;

    /// <summary>Tags every token of a description.</summary>
    public IReadOnlyList<TaggedToken> Tag(string description)
    {
        var tokens = DescriptionWords.Split(description);
        var closed = tokens.Select(ClosedClassWords.Tag).ToArray();
        var tags = new PartOfSpeech[tokens.Count];
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            if (closed[i] is { } closedTag) { tags[i] = closedTag; continue; }
            var candidates = Candidates(tokens[i]);
            PartOfSpeech? next = i + 1 < tokens.Count ? tags[i + 1] : null;
            PartOfSpeech? afterConjunction = next == PartOfSpeech.Conjunction && i + 2 < tokens.Count ? tags[i + 2] : null;
            var previousIsHost = i > 0 && (closed[i - 1] is null or PartOfSpeech.Pronoun or PartOfSpeech.Auxiliary);
            tags[i] = Choose(tokens[i], candidates, next, afterConjunction, previousIsHost);
        }
        return tokens.Select((t, i) => new TaggedToken(t, tags[i])).ToList();
    }

    /// <summary>Counts adjectives, nouns, verbs and prepositions, and all tokens.</summary>
    public PartOfSpeechCounts Count(string description)
    {
        var tagged = Tag(description);
        int Of(PartOfSpeech p) => tagged.Count(t => t.Tag == p);
        return new PartOfSpeechCounts(Of(PartOfSpeech.Adjective), Of(PartOfSpeech.Noun), Of(PartOfSpeech.Verb), Of(PartOfSpeech.Preposition), tagged.Count);
    }

    /// <summary>The open classes a word can belong to, in the order noun, verb, adjective, adverb.</summary>
    private List<PartOfSpeech> Candidates(string word)
    {
        var result = new List<PartOfSpeech>(4);
        foreach (var pos in lexicon.PartsOfSpeech(word))
            result.Add(pos switch
            {
                WordNetPartOfSpeech.Noun => PartOfSpeech.Noun,
                WordNetPartOfSpeech.Verb => PartOfSpeech.Verb,
                WordNetPartOfSpeech.Adjective => PartOfSpeech.Adjective,
                _ => PartOfSpeech.Adverb,
            });
        return result;
    }

    private PartOfSpeech Choose(string word, List<PartOfSpeech> candidates, PartOfSpeech? next, PartOfSpeech? afterConjunction, bool previousIsHost)
    {
        if (candidates.Count == 0) return PartOfSpeech.Noun;
        if (candidates.Count == 1) return candidates[0];
        PartOfSpeech? FirstOf(params PartOfSpeech[] order) => order.Where(candidates.Contains).Select(p => (PartOfSpeech?)p).FirstOrDefault();

        if (candidates.Contains(PartOfSpeech.Adverb) && word.EndsWith("ly", StringComparison.Ordinal))
            return PartOfSpeech.Adverb;
        if (next is PartOfSpeech.Noun or PartOfSpeech.Adjective)
            return candidates.Contains(PartOfSpeech.Adjective) && candidates.Contains(PartOfSpeech.Noun) && IsMainlyNoun(word)
                ? PartOfSpeech.Noun
                : FirstOf(PartOfSpeech.Adjective, PartOfSpeech.Noun, PartOfSpeech.Verb, PartOfSpeech.Adverb)!.Value;
        if (afterConjunction is { } coordinated && candidates.Contains(coordinated))
            return coordinated;
        if (previousIsHost && candidates.Contains(PartOfSpeech.Verb) && IsInflectedVerbForm(word))
            return PartOfSpeech.Verb;
        if (next == PartOfSpeech.Preposition && candidates.Contains(PartOfSpeech.Adverb) && !candidates.Contains(PartOfSpeech.Noun))
            return PartOfSpeech.Adverb;
        return FirstOf(PartOfSpeech.Noun, PartOfSpeech.Adjective, PartOfSpeech.Verb, PartOfSpeech.Adverb)!.Value;
    }

    /// <summary>The noun reading is more than <see cref="NounOverAdjectiveRatio"/> times as frequent as the adjective one in SemCor.</summary>
    private bool IsMainlyNoun(string word) =>
        lexicon.TagCount(word, WordNetPartOfSpeech.Noun) > NounOverAdjectiveRatio * lexicon.TagCount(word, WordNetPartOfSpeech.Adjective);

    private bool IsInflectedVerbForm(string word) =>
        lexicon.IsIrregularForm(word, WordNetPartOfSpeech.Verb)
        || ((word.EndsWith("ing", StringComparison.Ordinal) || word.EndsWith("ed", StringComparison.Ordinal))
            && lexicon.BaseForms(word, WordNetPartOfSpeech.Verb).Any(b => b != word));
}
