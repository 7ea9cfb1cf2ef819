namespace Milan.Language;

/// <summary>
/// The words a captioner knows, with MILAN's id layout: the V words in frequency order of the training
/// annotations (ties keep first-occurrence order, as Python's Counter.most_common; no minimum count),
/// then the specials <c>&lt;start&gt;</c> = V, <c>&lt;stop&gt;</c> = V+1, <c>&lt;pad&gt;</c> = V+2,
/// <c>&lt;unk&gt;</c> = V+3. The decoder and the language model share one vocabulary.
/// </summary>
public sealed class Vocabulary
{
    public const string StartToken = "<start>";
    public const string StopToken = "<stop>";
    public const string PadToken = "<pad>";
    public const string UnknownToken = "<unk>";

    /// <summary>The four special tokens in id order (after the words).</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = [StartToken, StopToken, PadToken, UnknownToken];

    private readonly Dictionary<string, int> _ids;

    /// <summary>The words (without specials), most frequent first.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Words plus the four specials: the size of the embedding and output layers (V').</summary>
    public int Count => Words.Count + SpecialTokens.Count;

    public int Start => Words.Count;
    public int Stop => Words.Count + 1;
    public int Pad => Words.Count + 2;
    public int Unknown => Words.Count + 3;

    private Vocabulary(IReadOnlyList<string> words, Dictionary<string, int> ids)
    {
        Words = words;
        _ids = ids;
    }

    /// <summary>A vocabulary with exactly these words in this order (e.g. read from a checkpoint).</summary>
    public static Vocabulary FromWords(IEnumerable<string> words)
    {
        var list = words.ToList();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            string word = list[i];
            if (string.IsNullOrWhiteSpace(word))
                throw new MilanInputException($"vocabulary word {i} is empty or whitespace");
            if (SpecialTokens.Contains(word))
                throw new MilanInputException($"vocabulary word {i} is the special token {word}, which comes after the words");
            if (!ids.TryAdd(word, i))
                throw new MilanInputException($"vocabulary word '{word}' is listed twice (at {ids[word]} and {i})");
        }
        return new Vocabulary(list, ids);
    }

    /// <summary>Builds the vocabulary of <paramref name="annotations"/> (tokenized with <see cref="DescriptionTokenizer"/>).</summary>
    public static Vocabulary Build(IEnumerable<string> annotations)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (var annotation in annotations)
        {
            foreach (var token in DescriptionTokenizer.Tokenize(annotation))
            {
                if (counts.TryGetValue(token, out int count)) counts[token] = count + 1;
                else
                {
                    counts[token] = 1;
                    firstSeen.Add(token);
                }
            }
        }
        // OrderByDescending is a stable sort: equal counts keep first-occurrence order.
        return FromWords(firstSeen.OrderByDescending(t => counts[t]));
    }

    /// <summary>The token with id <paramref name="id"/> (a word or a special).</summary>
    public string this[int id] =>
        id >= 0 && id < Words.Count ? Words[id]
        : id >= Words.Count && id < Count ? SpecialTokens[id - Words.Count]
        : throw new ArgumentOutOfRangeException(nameof(id), $"id {id} is outside the vocabulary of {Count} tokens");

    /// <summary>The id of a word or special token; <see cref="Unknown"/> for anything else.</summary>
    public int IdOf(string token)
    {
        if (_ids.TryGetValue(token, out int id)) return id;
        int special = SpecialTokens.ToList().IndexOf(token);
        return special >= 0 ? Words.Count + special : Unknown;
    }

    public bool Contains(string word) => _ids.ContainsKey(word);

    public bool IsSpecial(int id) => id >= Words.Count && id < Count;
}
