using System.IO.Compression;
using System.Reflection;

namespace Milan.Language;

/// <summary>The four open word classes of WordNet.</summary>
public enum WordNetPartOfSpeech
{
    Noun,
    Verb,
    Adjective,
    Adverb,
}

/// <summary>
/// The compact WordNet 3.0 extract bundled with the library (data/bundled/wordnet-lexicon.tsv.gz,
/// made by tools/wordnet/derive_wordnet_lexicon.py from Debian's wordnet-base): single-word lemmas
/// with their synsets in sense order, each synset's part of speech and "parent" links (hypernyms;
/// for adjectives the head adjective, attribute, pertainym and derived noun; for adverbs the
/// adjective), and the exception lists of irregular inflections. It serves the part-of-speech
/// tagger (<see cref="BaseForms"/>, WordNet's "morphy") and <see cref="WordNetSimilarity"/>.
/// </summary>
/// <remarks>WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved (licence in
/// data/bundled/WORDNET-LICENSE, which must accompany the derived file).</remarks>
public sealed class WordNetLexicon
{
    /// <summary>The resource name of the bundled file inside the Milan assembly.</summary>
    public const string BundledResourceName = "Milan.Language.wordnet-lexicon.tsv.gz";

    private static readonly Lazy<WordNetLexicon> bundled = new(LoadBundled, LazyThreadSafetyMode.ExecutionAndPublication);

    // WordNet's detachment rules (morph.c): suffix replaced by ending, applied once.
    private static readonly (string Suffix, string Ending)[][] detachmentRules =
    [
        [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y")],
        [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
        [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
        [],
    ];

    private readonly WordNetPartOfSpeech[] synsetPartOfSpeech;
    private readonly int[][] parents;
    private readonly Dictionary<string, int[]> lemmaSynsets;
    private readonly Dictionary<string, int[]> lemmaTagCounts;
    private readonly Dictionary<string, string[]>[] exceptions;

    private WordNetLexicon(WordNetPartOfSpeech[] synsetPartOfSpeech, int[][] parents, Dictionary<string, int[]> lemmaSynsets,
        Dictionary<string, int[]> lemmaTagCounts, Dictionary<string, string[]>[] exceptions)
    {
        this.synsetPartOfSpeech = synsetPartOfSpeech;
        this.parents = parents;
        this.lemmaSynsets = lemmaSynsets;
        this.lemmaTagCounts = lemmaTagCounts;
        this.exceptions = exceptions;
    }

    /// <summary>The extract bundled in the library (loaded once, on first use).</summary>
    public static WordNetLexicon Bundled => bundled.Value;

    /// <summary>Number of synsets in the extract.</summary>
    public int SynsetCount => parents.Length;

    /// <summary>Number of lemmas in the extract.</summary>
    public int LemmaCount => lemmaSynsets.Count;

    /// <summary>Loads an extract in the bundled format (gzip-compressed or plain text).</summary>
    public static WordNetLexicon Load(string path)
    {
        if (!File.Exists(path)) throw MilanInputException.InFile(path, "WordNet lexicon file not found");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an extract from a stream (gzip-compressed or plain text); <paramref name="source"/> names it in errors.</summary>
    public static WordNetLexicon Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        bytes.Position = 0;
        var buffer = bytes.GetBuffer();
        var gz = bytes.Length >= 2 && buffer[0] == 0x1f && buffer[1] == 0x8b;
        Stream body = gz ? new GZipStream(bytes, CompressionMode.Decompress) : bytes;
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8);
        return Parse(reader, source);
    }

    /// <summary>Parses the text format described in tools/wordnet/derive_wordnet_lexicon.py.</summary>
    public static WordNetLexicon Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lineNumber = 0;
        string NextLine()
        {
            while (true)
            {
                var line = reader.ReadLine();
                lineNumber++;
                if (line is null) throw MilanInputException.InFile(source, $"line {lineNumber}: unexpected end of file");
                if (!line.StartsWith('#')) return line;
            }
        }
        int Section(string name)
        {
            var fields = NextLine().Split('\t');
            if (fields.Length != 2 || fields[0] != name || !int.TryParse(fields[1], out var count) || count < 0)
                throw MilanInputException.InFile(source, $"line {lineNumber}: expected section header '{name}<TAB>count'");
            return count;
        }
        int[] Ids(string text, int limit)
        {
            if (text.Length == 0) return [];
            var span = text.AsSpan();
            var ids = new int[span.Count(',') + 1];
            var k = 0;
            foreach (var range in span.Split(','))
            {
                if (!int.TryParse(span[range], out var id) || id < 0 || id >= limit)
                    throw MilanInputException.InFile(source, $"line {lineNumber}: synset id out of range 0..{limit - 1} in '{text}'");
                ids[k++] = id;
            }
            return ids;
        }

        var synsetCount = Section("S");
        var pos = new WordNetPartOfSpeech[synsetCount];
        var parentLines = new string[synsetCount];
        for (var i = 0; i < synsetCount; i++)
        {
            var fields = NextLine().Split('\t');
            if (fields.Length != 2 || fields[0].Length != 1)
                throw MilanInputException.InFile(source, $"line {lineNumber}: expected 'pos<TAB>parent ids'");
            pos[i] = ParsePartOfSpeech(fields[0][0], source, lineNumber);
            parentLines[i] = fields[1];
        }
        var parents = new int[synsetCount][];
        for (var i = 0; i < synsetCount; i++) parents[i] = Ids(parentLines[i], synsetCount);

        var lemmaCount = Section("L");
        var lemmas = new Dictionary<string, int[]>(lemmaCount, StringComparer.Ordinal);
        var tagCounts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var i = 0; i < lemmaCount; i++)
        {
            var fields = NextLine().Split('\t');
            if (fields.Length is < 2 or > 3 || fields[0].Length == 0)
                throw MilanInputException.InFile(source, $"line {lineNumber}: expected 'lemma<TAB>synset ids[<TAB>tag counts]'");
            lemmas[fields[0]] = Ids(fields[1], synsetCount);
            if (fields.Length == 3 && fields[2].Length > 0)
            {
                var counts = new int[4];
                foreach (var item in fields[2].Split(' '))
                {
                    if (item.Length < 3 || item[1] != ':' || !int.TryParse(item.AsSpan(2), out var count) || count < 0)
                        throw MilanInputException.InFile(source, $"line {lineNumber}: tag count '{item}'; expected pos:count");
                    counts[(int)ParsePartOfSpeech(item[0], source, lineNumber)] += count;
                }
                tagCounts[fields[0]] = counts;
            }
        }

        var exceptionCount = Section("E");
        var exceptions = Enumerable.Range(0, 4).Select(_ => new Dictionary<string, string[]>(StringComparer.Ordinal)).ToArray();
        for (var i = 0; i < exceptionCount; i++)
        {
            var fields = NextLine().Split('\t');
            if (fields.Length != 3 || fields[0].Length != 1)
                throw MilanInputException.InFile(source, $"line {lineNumber}: expected 'pos<TAB>inflected<TAB>bases'");
            var p = ParsePartOfSpeech(fields[0][0], source, lineNumber);
            exceptions[(int)p][fields[1]] = fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
        return new WordNetLexicon(pos, parents, lemmas, tagCounts, exceptions);
    }

    /// <summary>True when <paramref name="lemma"/> has at least one synset of this part of speech.</summary>
    public bool IsLemma(string lemma, WordNetPartOfSpeech partOfSpeech)
    {
        if (!lemmaSynsets.TryGetValue(lemma, out var all)) return false;
        foreach (var s in all)
            if (synsetPartOfSpeech[s] == partOfSpeech) return true;
        return false;
    }

    /// <summary>
    /// WordNet's "morphy": the lemmas of this part of speech that <paramref name="word"/> can be an
    /// inflection of. The word itself counts if it is a lemma; then, if the word is in the exception
    /// list, its listed bases; otherwise each detachment rule applied once (nouns: -s, -ses, -xes,
    /// -zes, -ches, -shes, -men, -ies; verbs: -s, -ies, -es, -ed, -ing; adjectives: -er, -est;
    /// adverbs: exceptions only). As in WordNet's morph.c, nouns ending in "ss" or of at most two
    /// letters get no rule. Unlike morph.c, every matching base is returned, not only the first.
    /// </summary>
    public IReadOnlyList<string> BaseForms(string word, WordNetPartOfSpeech partOfSpeech)
    {
        ArgumentNullException.ThrowIfNull(word);
        word = word.ToLowerInvariant();
        var result = new List<string>(2);
        void Add(string form)
        {
            if (!result.Contains(form) && IsLemma(form, partOfSpeech)) result.Add(form);
        }
        Add(word);
        if (exceptions[(int)partOfSpeech].TryGetValue(word, out var bases))
        {
            foreach (var b in bases) Add(b);
            return result;
        }
        if (partOfSpeech == WordNetPartOfSpeech.Noun && (word.EndsWith("ss", StringComparison.Ordinal) || word.Length <= 2))
            return result;
        foreach (var (suffix, ending) in detachmentRules[(int)partOfSpeech])
            if (word.Length > suffix.Length && word.EndsWith(suffix, StringComparison.Ordinal))
                Add(word[..^suffix.Length] + ending);
        return result;
    }

    /// <summary>True when the word is listed in the exception list of this part of speech (an irregular form such as "ran").</summary>
    public bool IsIrregularForm(string word, WordNetPartOfSpeech partOfSpeech) =>
        exceptions[(int)partOfSpeech].ContainsKey(word.ToLowerInvariant());

    /// <summary>The parts of speech under which the word (or a base form of it) is in WordNet.</summary>
    public IReadOnlyList<WordNetPartOfSpeech> PartsOfSpeech(string word) =>
        Enum.GetValues<WordNetPartOfSpeech>().Where(p => BaseForms(word, p).Count > 0).ToList();

    /// <summary>
    /// How often the word's senses of this part of speech were tagged in the SemCor corpus (WordNet's
    /// cntlist), summed over the word's base forms: a frequency prior between parts of speech.
    /// </summary>
    public int TagCount(string word, WordNetPartOfSpeech partOfSpeech) =>
        BaseForms(word, partOfSpeech).Sum(form => lemmaTagCounts.TryGetValue(form, out var counts) ? counts[(int)partOfSpeech] : 0);

    /// <summary>The synsets of a lemma of one part of speech, in WordNet's sense order (most frequent first).</summary>
    internal IReadOnlyList<int> Synsets(string lemma, WordNetPartOfSpeech partOfSpeech) =>
        lemmaSynsets.TryGetValue(lemma, out var all)
            ? all.Where(s => synsetPartOfSpeech[s] == partOfSpeech).ToList()
            : [];

    internal IReadOnlyList<int> Parents(int synset) => parents[synset];

    private static WordNetPartOfSpeech ParsePartOfSpeech(char c, string source, int lineNumber) => c switch
    {
        'n' => WordNetPartOfSpeech.Noun,
        'v' => WordNetPartOfSpeech.Verb,
        'a' or 's' => WordNetPartOfSpeech.Adjective,
        'r' => WordNetPartOfSpeech.Adverb,
        _ => throw MilanInputException.InFile(source, $"line {lineNumber}: part of speech '{c}'; expected one of n v a s r"),
    };

    private static WordNetLexicon LoadBundled()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(BundledResourceName)
            ?? throw new InvalidOperationException($"resource {BundledResourceName} is missing from the Milan assembly");
        return Read(stream, BundledResourceName);
    }
}
