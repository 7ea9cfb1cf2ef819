using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Milan.Language;

/// <summary>
/// RoBERTa's byte-level BPE tokenizer from a Hugging Face vocab.json and merges.txt, through
/// Microsoft.ML.Tokenizers (BpeTokenizer, byte-level, with the RoBERTa/GPT-2 pre-tokenizer).
/// Encoding follows bert-score 0.3.11's sent_encode: strip the sentence; an empty sentence is
/// just &lt;s&gt; &lt;/s&gt;; otherwise &lt;s&gt; tokens &lt;/s&gt;, truncated to the model's maximum length.
/// </summary>
/// <remarks>
/// <c>addPrefixSpace</c>: bert-score passes add_prefix_space=True only to the slow
/// GPT-2-style tokenizer. The MILAN reference uses use_fast_tokenizer=True, whose RoBERTa fast
/// tokenizer does not add it, so the first word is encoded without the leading "Ġ" (e.g. "red" →
/// "r", "ed" rather than "Ġred" where the vocabulary says so). The default (false) follows the reference.
/// </remarks>
internal sealed class RobertaBpeTokenizer
{
    private readonly BpeTokenizer bpe;
    private readonly bool addPrefixSpace;
    private readonly int maxLength;

    public RobertaBpeTokenizer(string vocabPath, string mergesPath, bool addPrefixSpace, int maxLength)
    {
        if (!File.Exists(vocabPath)) throw MilanInputException.InFile(vocabPath, "vocab.json not found");
        if (!File.Exists(mergesPath)) throw MilanInputException.InFile(mergesPath, "merges.txt not found");
        Dictionary<string, int> vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                ?? throw MilanInputException.InFile(vocabPath, "empty vocabulary; expected a JSON object of token → id");
        }
        catch (JsonException e)
        {
            throw MilanInputException.InFile(vocabPath, $"malformed JSON: {e.Message}; expected a JSON object of token → id");
        }
        int Special(string token) => vocabulary.TryGetValue(token, out var id)
            ? id : throw MilanInputException.InFile(vocabPath, $"special token '{token}' missing");
        StartId = Special("<s>");
        EndId = Special("</s>");
        PadId = Special("<pad>");
        var merges = File.ReadLines(mergesPath)
            .Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
            .ToList();
        bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = RobertaPreTokenizer.Instance,
        });
        this.addPrefixSpace = addPrefixSpace;
        this.maxLength = maxLength;
    }

    public int StartId { get; }
    public int EndId { get; }
    public int PadId { get; }

    /// <summary>Token ids and token strings of one sentence, &lt;s&gt; and &lt;/s&gt; included.</summary>
    public (int[] Ids, string[] Tokens) Encode(string sentence)
    {
        var text = PythonText.Strip(sentence);
        var ids = new List<int> { StartId };
        var tokens = new List<string> { "<s>" };
        if (text.Length > 0)
        {
            foreach (var token in bpe.EncodeToTokens(addPrefixSpace ? " " + text : text, out _).Take(maxLength - 2))
            {
                ids.Add(token.Id);
                tokens.Add(token.Value);
            }
        }
        ids.Add(EndId);
        tokens.Add("</s>");
        return (ids.ToArray(), tokens.ToArray());
    }
}
