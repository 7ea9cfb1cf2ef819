namespace Milan.Language;

/// <summary>Coarse parts of speech, named after the Universal Dependencies tags spaCy reports.</summary>
public enum PartOfSpeech
{
    /// <summary>NOUN (also words that are in no lexicon).</summary>
    Noun,
    /// <summary>VERB (not auxiliaries).</summary>
    Verb,
    /// <summary>ADJ.</summary>
    Adjective,
    /// <summary>ADV.</summary>
    Adverb,
    /// <summary>ADP: prepositions ("of", "on", "next to" → "to").</summary>
    Preposition,
    /// <summary>DET: articles and other determiners.</summary>
    Determiner,
    /// <summary>PRON, possessive pronouns included.</summary>
    Pronoun,
    /// <summary>CCONJ and SCONJ.</summary>
    Conjunction,
    /// <summary>AUX: forms of be, have, do and the modals.</summary>
    Auxiliary,
    /// <summary>PART: "not", possessive "'s".</summary>
    Particle,
    /// <summary>NUM: digits and number words.</summary>
    Number,
    /// <summary>PUNCT and other symbols.</summary>
    Punctuation,
}

/// <summary>A token and its tag.</summary>
public readonly record struct TaggedToken(string Token, PartOfSpeech Tag);

/// <summary>The counts the ablation analysis uses, over one description.</summary>
/// <param name="Tokens">All tokens, punctuation included (the reference's description length).</param>
public sealed record PartOfSpeechCounts(int Adjectives, int Nouns, int Verbs, int Prepositions, int Tokens);
