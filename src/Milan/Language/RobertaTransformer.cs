using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Milan.Language;

/// <summary>
/// The encoder of a RoBERTa-style transformer (Hugging Face RobertaModel without pooler), inference
/// only, holding the weights of its first <see cref="LayerCount"/> layers: embeddings (word +
/// position + token type 0, LayerNorm), then post-LayerNorm layers of multi-head self-attention and
/// a GELU feed-forward block. Positions count from pad id + 1 over the non-padding tokens, as
/// RoBERTa does.
/// </summary>
internal sealed class RobertaTransformer : IDisposable
{
    private sealed record Layer(
        Tensor QueryWeight, Tensor QueryBias, Tensor KeyWeight, Tensor KeyBias, Tensor ValueWeight, Tensor ValueBias,
        Tensor AttentionOutputWeight, Tensor AttentionOutputBias, Tensor AttentionNormWeight, Tensor AttentionNormBias,
        Tensor IntermediateWeight, Tensor IntermediateBias, Tensor OutputWeight, Tensor OutputBias,
        Tensor OutputNormWeight, Tensor OutputNormBias)
    {
        public IEnumerable<Tensor> All() =>
        [
            QueryWeight, QueryBias, KeyWeight, KeyBias, ValueWeight, ValueBias, AttentionOutputWeight, AttentionOutputBias,
            AttentionNormWeight, AttentionNormBias, IntermediateWeight, IntermediateBias, OutputWeight, OutputBias,
            OutputNormWeight, OutputNormBias,
        ];
    }

    private readonly RobertaConfig config;
    private readonly Tensor wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNormWeight, embeddingNormBias;
    private readonly List<Layer> layers;

    private RobertaTransformer(RobertaConfig config, Tensor[] embeddings, List<Layer> layers, Device device)
    {
        this.config = config;
        (wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNormWeight, embeddingNormBias) =
            (embeddings[0], embeddings[1], embeddings[2], embeddings[3], embeddings[4]);
        this.layers = layers;
        Device = device;
    }

    public Device Device { get; }

    /// <summary>Number of transformer layers held (the output is the hidden state after the last).</summary>
    public int LayerCount => layers.Count;

    public RobertaConfig Config => config;

    /// <summary>
    /// Loads the embeddings and the first <paramref name="layerCount"/> layers from safetensors
    /// weights with Hugging Face names, with or without the "roberta." prefix of masked-LM
    /// checkpoints (LayerNorm "gamma"/"beta" are accepted for "weight"/"bias").
    /// </summary>
    public static RobertaTransformer Load(Milan.Torch.SafeTensorsFile weights, string weightsPath, RobertaConfig config, int layerCount, Device device)
    {
        if (layerCount < 0 || layerCount > config.LayerCount)
            throw new MilanInputException($"layer {layerCount} is out of range; expected 0..{config.LayerCount} for this model");
        var prefix = weights.Contains("embeddings.word_embeddings.weight") ? ""
            : weights.Contains("roberta.embeddings.word_embeddings.weight") ? "roberta."
            : throw MilanInputException.InFile(weightsPath, "tensor 'embeddings.word_embeddings.weight' (or 'roberta.…') missing; expected RoBERTa weights with Hugging Face names");

        var loaded = new List<Tensor>();
        Tensor Read(string name, params long[] shape)
        {
            var full = prefix + name;
            if (!weights.Contains(full) && name.EndsWith("LayerNorm.weight", StringComparison.Ordinal))
                full = full[..^"weight".Length] + "gamma";
            if (!weights.Contains(full) && name.EndsWith("LayerNorm.bias", StringComparison.Ordinal))
                full = full[..^"bias".Length] + "beta";
            var actual = weights.Shape(full);
            if (!actual.SequenceEqual(shape))
                throw MilanInputException.InFile(weightsPath, $"tensor '{full}' has shape [{string.Join(",", actual)}]; expected [{string.Join(",", shape)}] from config.json");
            // The weights live as long as this object, not as long as a caller's dispose scope.
            using var stored = weights.Read(full);
            var tensor = stored.to(ScalarType.Float32, device).DetachFromDisposeScope();
            loaded.Add(tensor);
            return tensor;
        }

        try
        {
            int h = config.HiddenSize, inner = config.IntermediateSize;
            var embeddings = new[]
            {
                Read("embeddings.word_embeddings.weight", config.VocabularySize, h),
                Read("embeddings.position_embeddings.weight", config.MaxPositions, h),
                Read("embeddings.token_type_embeddings.weight", config.TypeVocabularySize, h),
                Read("embeddings.LayerNorm.weight", h),
                Read("embeddings.LayerNorm.bias", h),
            };
            var layers = new List<Layer>();
            for (var i = 0; i < layerCount; i++)
            {
                var p = $"encoder.layer.{i}.";
                layers.Add(new Layer(
                    Read(p + "attention.self.query.weight", h, h), Read(p + "attention.self.query.bias", h),
                    Read(p + "attention.self.key.weight", h, h), Read(p + "attention.self.key.bias", h),
                    Read(p + "attention.self.value.weight", h, h), Read(p + "attention.self.value.bias", h),
                    Read(p + "attention.output.dense.weight", h, h), Read(p + "attention.output.dense.bias", h),
                    Read(p + "attention.output.LayerNorm.weight", h), Read(p + "attention.output.LayerNorm.bias", h),
                    Read(p + "intermediate.dense.weight", inner, h), Read(p + "intermediate.dense.bias", inner),
                    Read(p + "output.dense.weight", h, inner), Read(p + "output.dense.bias", h),
                    Read(p + "output.LayerNorm.weight", h), Read(p + "output.LayerNorm.bias", h)));
            }
            return new RobertaTransformer(config, embeddings, layers, device);
        }
        catch
        {
            foreach (var t in loaded) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Hidden states [batch, length, hidden] after the held layers, for token ids [batch, length]
    /// right-padded with the pad id; <paramref name="mask"/> is 1 for real tokens, 0 for padding.
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor mask)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long batch = ids.shape[0], length = ids.shape[1];
        int h = config.HiddenSize, heads = config.HeadCount, headSize = h / heads;
        var eps = config.LayerNormEpsilon;

        var positions = mask.cumsum(1).mul(mask).add(config.PadTokenId);
        var x = wordEmbeddings.index_select(0, ids.flatten()).view(batch, length, h)
            + positionEmbeddings.index_select(0, positions.flatten()).view(batch, length, h)
            + tokenTypeEmbeddings[0];
        x = F.layer_norm(x, [h], embeddingNormWeight, embeddingNormBias, eps);

        // Additive attention mask: 0 for real keys, the most negative float32 for padding keys.
        var keyMask = (1 - mask.to_type(ScalarType.Float32)).mul(float.MinValue).view(batch, 1, 1, length);
        Tensor Heads(Tensor t) => t.view(batch, length, heads, headSize).transpose(1, 2);
        var scale = 1.0 / Math.Sqrt(headSize);
        foreach (var layer in layers)
        {
            var q = Heads(F.linear(x, layer.QueryWeight, layer.QueryBias));
            var k = Heads(F.linear(x, layer.KeyWeight, layer.KeyBias));
            var v = Heads(F.linear(x, layer.ValueWeight, layer.ValueBias));
            var scores = q.matmul(k.transpose(-1, -2)).mul(scale) + keyMask;
            var context = F.softmax(scores, -1).matmul(v).transpose(1, 2).reshape(batch, length, h);
            var attention = F.layer_norm(F.linear(context, layer.AttentionOutputWeight, layer.AttentionOutputBias) + x,
                [h], layer.AttentionNormWeight, layer.AttentionNormBias, eps);
            var inner = F.gelu(F.linear(attention, layer.IntermediateWeight, layer.IntermediateBias));
            x = F.layer_norm(F.linear(inner, layer.OutputWeight, layer.OutputBias) + attention,
                [h], layer.OutputNormWeight, layer.OutputNormBias, eps);
        }
        return x.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in new[] { wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNormWeight, embeddingNormBias }
                     .Concat(layers.SelectMany(l => l.All())))
            t.Dispose();
    }
}
