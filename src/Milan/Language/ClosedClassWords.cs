namespace Milan.Language;

/// <summary>
/// The closed word classes of English used by <see cref="PartOfSpeechTagger"/>, which take
/// precedence over WordNet (WordNet lists "in", "a" or "up" as nouns, adjectives or verbs).
/// </summary>
public static class ClosedClassWords
{
    /// <summary>Prepositions (single words; "next to" is "next" + "to", "on top of" is "on" + "top" + "of").</summary>
    public static IReadOnlySet<string> Prepositions { get; } = Set(
        "aboard about above across after against along alongside amid amidst among amongst around as at atop "
        + "before behind below beneath beside besides between beyond by despite down during except for from in "
        + "inside into like near of off on onto opposite out outside over past per since through throughout till "
        + "to toward towards under underneath unlike until up upon via with within without");

    /// <summary>Articles and other determiners.</summary>
    public static IReadOnlySet<string> Determiners { get; } = Set(
        "a an the this that these those some any each every no another either neither all both");

    /// <summary>Personal, possessive, reflexive, indefinite, relative and interrogative pronouns.</summary>
    public static IReadOnlySet<string> Pronouns { get; } = Set(
        "i me my mine myself you your yours yourself yourselves he him his himself she her hers herself it its "
        + "itself we us our ours ourselves they them their theirs themselves something anything everything nothing "
        + "someone anyone everyone somebody anybody everybody nobody who whom whose which what");

    /// <summary>Coordinating and subordinating conjunctions.</summary>
    public static IReadOnlySet<string> Conjunctions { get; } = Set(
        "and or but nor plus because although though while whereas if unless whether than");

    /// <summary>Auxiliaries: forms of be, have, do, and the modals.</summary>
    public static IReadOnlySet<string> Auxiliaries { get; } = Set(
        "be am is are was were been being have has had having do does did can could will would shall should may might must");

    /// <summary>Particles.</summary>
    public static IReadOnlySet<string> Particles { get; } = Set("not 's");

    /// <summary>Degree adverbs that WordNet also lists as adjectives ("very", "so").</summary>
    public static IReadOnlySet<string> DegreeAdverbs { get; } = Set(
        "very quite rather too so really mostly mainly slightly partly almost somewhat fairly");

    /// <summary>Number words.</summary>
    public static IReadOnlySet<string> NumberWords { get; } = Set(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        + "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million");

    /// <summary>The closed-class tag of a lowercase token, or null for an open-class word.</summary>
    public static PartOfSpeech? Tag(string token)
    {
        if (token.Length == 0) return null;
        if (!char.IsLetterOrDigit(token[0]) && token != "'s") return PartOfSpeech.Punctuation;
        if (token.All(c => char.IsDigit(c) || c == '.' || c == ',')) return PartOfSpeech.Number;
        if (Determiners.Contains(token)) return PartOfSpeech.Determiner;
        if (Prepositions.Contains(token)) return PartOfSpeech.Preposition;
        if (Conjunctions.Contains(token)) return PartOfSpeech.Conjunction;
        if (Pronouns.Contains(token)) return PartOfSpeech.Pronoun;
        if (Auxiliaries.Contains(token)) return PartOfSpeech.Auxiliary;
        if (Particles.Contains(token)) return PartOfSpeech.Particle;
        if (DegreeAdverbs.Contains(token)) return PartOfSpeech.Adverb;
        if (NumberWords.Contains(token)) return PartOfSpeech.Number;
        return null;
    }

    private static HashSet<string> Set(string words) =>
        new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
