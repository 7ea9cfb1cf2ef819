namespace Milan.Language;

/// <summary>
/// Turns descriptions into id sequences for a <see cref="Vocabulary"/>, as the reference's Indexer with
/// all flags on: optional <c>&lt;start&gt;</c>, the word ids (unknown words become <c>&lt;unk&gt;</c>),
/// optional <c>&lt;stop&gt;</c>, and right-padding with <c>&lt;pad&gt;</c> to the longest sequence of the
/// batch plus the specials. There is no maximum length.
/// </summary>
public sealed class Indexer(Vocabulary vocabulary)
{
    public Vocabulary Vocabulary { get; } = vocabulary;

    /// <summary>The word ids of one description, without specials.</summary>
    public int[] WordIds(string description) =>
        DescriptionTokenizer.Tokenize(description).Select(Vocabulary.IdOf).ToArray();

    /// <summary>
    /// A (batch, length) row-major array of ids: [start] + ids + [stop], each flag optional, padded to
    /// the longest word count + the number of specials asked for.
    /// </summary>
    public long[,] Index(IReadOnlyList<string> descriptions, bool start = true, bool stop = true) =>
        Pad(descriptions.Select(WordIds).ToList(), start, stop);

    /// <summary>As <see cref="Index"/>, for sequences that are already word ids.</summary>
    public long[,] Pad(IReadOnlyList<int[]> wordIds, bool start = true, bool stop = true)
    {
        int longest = wordIds.Count == 0 ? 0 : wordIds.Max(w => w.Length);
        int length = longest + (start ? 1 : 0) + (stop ? 1 : 0);
        var result = new long[wordIds.Count, length];
        for (int row = 0; row < wordIds.Count; row++)
        {
            int column = 0;
            if (start) result[row, column++] = Vocabulary.Start;
            foreach (int id in wordIds[row]) result[row, column++] = id;
            if (stop) result[row, column++] = Vocabulary.Stop;
            while (column < length) result[row, column++] = Vocabulary.Pad;
        }
        return result;
    }
}
