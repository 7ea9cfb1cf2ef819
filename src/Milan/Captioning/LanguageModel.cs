using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// The language prior p(d) of milan-spec §4: Embedding(V', 128, padding_idx = &lt;pad&gt;), a 2-layer
/// LSTM of 512 with dropout 0.5 between the layers, Linear and log-softmax. Parameter names follow the
/// reference (embedding, lstm.*_l{0,1}, output.0) so that, under the "lm." prefix, its state dict
/// matches the reference checkpoint's.
/// </summary>
public sealed class LanguageModel : nn.Module
{
    private readonly Embedding embedding;
    private readonly LSTM lstm;
    private readonly Sequential output;

    public LanguageModelShape Shape { get; }

    public LanguageModel(LanguageModelShape shape) : base(nameof(LanguageModel))
    {
        shape.Validate();
        Shape = shape;
        embedding = nn.Embedding(shape.VocabularySize, shape.EmbeddingSize, padding_idx: shape.PadId);
        lstm = nn.LSTM(shape.EmbeddingSize, shape.HiddenSize, numLayers: shape.Layers, batchFirst: true, dropout: shape.Dropout);
        output = nn.Sequential(("0", nn.Linear(shape.HiddenSize, shape.VocabularySize)));
        RegisterComponents();
    }

    /// <summary>Log-probabilities (B, L, V') of the token after each position of <paramref name="inputs"/> (B, L).</summary>
    public Tensor LogProbs(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var (hidden, _, _) = lstm.call(embedding.call(inputs));
        return output.call(hidden).log_softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sum of log p(inputs[t+1] | inputs[..t]) over the first <paramref name="targetCounts"/>[b] targets of
    /// each row: the log-probability of a sequence that starts with &lt;start&gt;.
    /// </summary>
    public Tensor SequenceLogProbs(Tensor inputs, Tensor targetCounts)
    {
        using var scope = NewDisposeScope();
        var logProbs = LogProbs(inputs)[.., ..^1];                               // (B, L-1, V')
        var targets = inputs[.., 1..];
        var picked = logProbs.gather(2, targets.unsqueeze(2)).squeeze(2);       // (B, L-1)
        var positions = arange(picked.shape[1], device: inputs.device).unsqueeze(0);
        var mask = positions < targetCounts.to(inputs.device).unsqueeze(1);
        return picked.where(mask, zeros_like(picked)).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>A zero state (layers, B, hidden) pair for step-by-step use.</summary>
    public (Tensor H, Tensor C) ZeroState(long batch, Device device) =>
        (zeros(Shape.Layers, batch, Shape.HiddenSize, device: device), zeros(Shape.Layers, batch, Shape.HiddenSize, device: device));

    /// <summary>
    /// One step (per-step PMI, milan-spec §5.3): feeds <paramref name="tokens"/> (B) and returns the
    /// log-probabilities (B, V') of the next token and the new state.
    /// </summary>
    public (Tensor LogProbs, Tensor H, Tensor C) Step(Tensor tokens, Tensor h, Tensor c)
    {
        using var scope = NewDisposeScope();
        var (hidden, hNext, cNext) = lstm.call(embedding.call(tokens.unsqueeze(1)), (h, c));
        var logProbs = output.call(hidden.squeeze(1)).log_softmax(-1);
        return (logProbs.MoveToOuterDisposeScope(), hNext.MoveToOuterDisposeScope(), cNext.MoveToOuterDisposeScope());
    }
}

/// <summary>Sizes of a <see cref="LanguageModel"/>; the defaults are the reference's.</summary>
public sealed record LanguageModelShape(
    int VocabularySize,
    int PadId,
    int EmbeddingSize = 128,
    int HiddenSize = 512,
    int Layers = 2,
    double Dropout = 0.5)
{
    internal void Validate()
    {
        if (VocabularySize <= 0 || EmbeddingSize <= 0 || HiddenSize <= 0 || Layers <= 0)
            throw new ArgumentException($"language model sizes must be positive: {this}");
        if (PadId < 0 || PadId >= VocabularySize) throw new ArgumentException($"pad id {PadId} is outside the vocabulary");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"dropout must be in [0, 1): {Dropout}");
    }
}
