using TorchSharp;
using static TorchSharp.torch;

namespace Milan.Language;

/// <summary>Options of <see cref="RobertaTokenEncoder"/>.</summary>
public sealed record RobertaEncoderOptions
{
    /// <summary>Sentences per forward pass (bert-score's batch_size; the reference passes 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Encode the first word with a leading space. False follows the reference (bert-score 0.3.11
    /// with use_fast_tokenizer=True); true follows bert-score's slow tokenizer, with which its
    /// baseline files were made.
    /// </summary>
    public bool AddPrefixSpace { get; init; }
}

/// <summary>
/// BERTScore's token encoder for RoBERTa-style models in TorchSharp: the hidden states of a chosen
/// layer for every token of a sentence, &lt;s&gt; and &lt;/s&gt; included (marked special).
/// The model folder holds the Hugging Face files config.json, model.safetensors (F32, F16 or BF16),
/// vocab.json and merges.txt. With roberta-large at layer 17, idf and the layer-17 baseline
/// (<see cref="CreatePaperScorer"/>), <see cref="BertScorer"/> gives the paper's metric.
/// </summary>
/// <remarks>
/// The layer is counted as in bert-score's num_layers: 0 is the embedding output, k the output of
/// the k-th transformer layer; only the first k layers' weights are loaded. Sentences are sorted by
/// length and padded per batch; the attention mask hides the padding, so results do not depend on
/// the batch (up to float rounding).
/// </remarks>
public sealed class RobertaTokenEncoder : ITokenEncoder, IDisposable
{
    private readonly RobertaBpeTokenizer tokenizer;
    private readonly RobertaTransformer transformer;
    private readonly RobertaEncoderOptions options;

    private RobertaTokenEncoder(RobertaBpeTokenizer tokenizer, RobertaTransformer transformer, RobertaEncoderOptions options, string name)
    {
        this.tokenizer = tokenizer;
        this.transformer = transformer;
        this.options = options;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The layer whose hidden states are the embeddings.</summary>
    public int Layer => transformer.LayerCount;

    /// <summary>
    /// Loads the tokenizer and the first <paramref name="layer"/> layers of the model in
    /// <paramref name="modelDirectory"/> onto <paramref name="device"/> (default CPU).
    /// </summary>
    public static RobertaTokenEncoder Load(string modelDirectory, int layer, Device? device = null, RobertaEncoderOptions? options = null)
    {
        if (!Directory.Exists(modelDirectory))
            throw MilanInputException.InFile(modelDirectory, "model folder not found; expected config.json, model.safetensors, vocab.json and merges.txt");
        options ??= new RobertaEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var config = RobertaConfig.Load(Path.Combine(modelDirectory, "config.json"));
        var tokenizer = new RobertaBpeTokenizer(
            Path.Combine(modelDirectory, "vocab.json"), Path.Combine(modelDirectory, "merges.txt"),
            options.AddPrefixSpace, config.MaxSequenceLength);
        if (tokenizer.PadId != config.PadTokenId)
            throw MilanInputException.InFile(Path.Combine(modelDirectory, "vocab.json"),
                $"<pad> has id {tokenizer.PadId}; config.json says pad_token_id {config.PadTokenId}");
        var weightsPath = Path.Combine(modelDirectory, "model.safetensors");
        var transformer = RobertaTransformer.Load(Milan.Torch.SafeTensorsFile.Open(weightsPath), weightsPath, config, layer, device ?? CPU);
        var name = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory)))} layer {layer}";
        return new RobertaTokenEncoder(tokenizer, transformer, options, name);
    }

    /// <summary>
    /// The paper's metric (MILAN's BERTScorer(lang='en', idf=True, rescale_with_baseline=True)):
    /// roberta-large at layer 17, idf from the references, rescaled with
    /// <see cref="BertScoreBaseline.RobertaLargeLayer17"/>. The caller disposes the encoder.
    /// </summary>
    public static (BertScorer Scorer, RobertaTokenEncoder Encoder) CreatePaperScorer(string robertaLargeDirectory, Device? device = null)
    {
        var encoder = Load(robertaLargeDirectory, 17, device);
        var scorer = new BertScorer(new CosineTokenSimilarity(encoder),
            new BertScoreOptions { UseIdf = true, Baseline = BertScoreBaseline.RobertaLargeLayer17 });
        return (scorer, encoder);
    }

    /// <summary>Token ids of a sentence as the encoder sees them (&lt;s&gt; … &lt;/s&gt;).</summary>
    public IReadOnlyList<int> TokenIds(string sentence) => tokenizer.Encode(sentence).Ids;

    public IReadOnlyList<EmbeddedSentence> Encode(IReadOnlyList<string> sentences, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var encoded = sentences.Select(tokenizer.Encode).ToArray();
        var results = new EmbeddedSentence[sentences.Count];
        var order = Enumerable.Range(0, sentences.Count).OrderByDescending(i => encoded[i].Ids.Length).ToArray();
        var device = transformer.Device;
        for (var start = 0; start < order.Length; start += options.BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var batch = order.Skip(start).Take(options.BatchSize).ToArray();
            var length = batch.Max(i => encoded[i].Ids.Length);
            var ids = new long[batch.Length * length];
            var mask = new long[batch.Length * length];
            Array.Fill(ids, tokenizer.PadId);
            for (var b = 0; b < batch.Length; b++)
            {
                var sentenceIds = encoded[batch[b]].Ids;
                for (var t = 0; t < sentenceIds.Length; t++)
                {
                    ids[b * length + t] = sentenceIds[t];
                    mask[b * length + t] = 1;
                }
            }
            var hidden = transformer.Forward(
                torch.tensor(ids, [batch.Length, length], device: device),
                torch.tensor(mask, [batch.Length, length], device: device));
            var values = hidden.to(CPU).data<float>().ToArray();
            var size = transformer.Config.HiddenSize;
            for (var b = 0; b < batch.Length; b++)
            {
                var (_, tokens) = encoded[batch[b]];
                var rows = new float[tokens.Length][];
                for (var t = 0; t < tokens.Length; t++)
                    rows[t] = values.AsSpan((b * length + t) * size, size).ToArray();
                var special = tokens.Select((_, t) => t == 0 || t == tokens.Length - 1).ToArray();
                results[batch[b]] = new EmbeddedSentence(tokens, special, rows);
            }
            progress?.Report(new WorkProgress($"{Name}: encoding", Math.Min(start + batch.Length, order.Length), order.Length));
        }
        return results;
    }

    public void Dispose() => transformer.Dispose();
}
