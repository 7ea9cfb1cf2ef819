using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// The captioner p(d | E) of milan-spec §3.2 (a Show-Attend-Tell variant): h0, c0 = tanh(Linear(mean
/// exemplar feature)); at each step additive attention over the K exemplar vectors with the PREVIOUS
/// hidden state, a sigmoid gate on the attended vector, an LSTMCell on [embedding(previous token);
/// gated vector], dropout, a linear layer and log-softmax. Parameter names follow the reference's state
/// dict (init_h.0, init_c.0, embedding, attend.{query_to_hidden,key_to_hidden,output.0}, feature_gate.0,
/// lstm, output.1), so exported reference weights load by name.
/// <para>
/// Steps work on groups: features are (B, K, D) and the state has B·G rows (G hypotheses per neuron,
/// e.g. the beam), so the exemplar features are never copied per hypothesis. The key projection of the
/// features does not depend on the step and is computed once per sequence (<see cref="ProjectKeys"/>).
/// </para>
/// </summary>
public sealed class CaptionDecoder : nn.Module
{
    private readonly Sequential init_h;
    private readonly Sequential init_c;
    private readonly Embedding embedding;
    private readonly ExemplarAttention attend;
    private readonly Sequential feature_gate;
    private readonly LSTMCell lstm;
    private readonly Sequential output;

    public CaptionDecoderShape Shape { get; }

    public CaptionDecoder(CaptionDecoderShape shape) : base(nameof(CaptionDecoder))
    {
        shape.Validate();
        Shape = shape;
        int d = shape.FeatureSize, h = shape.HiddenSize;
        init_h = nn.Sequential(("0", nn.Linear(d, h)));
        init_c = nn.Sequential(("0", nn.Linear(d, h)));
        embedding = nn.Embedding(shape.VocabularySize, shape.EmbeddingSize);
        attend = new ExemplarAttention(h, d, shape.AttentionHiddenSize);
        feature_gate = nn.Sequential(("0", nn.Linear(h, d)));
        lstm = nn.LSTMCell(shape.EmbeddingSize + d, h);
        output = nn.Sequential(("0", nn.Dropout(shape.Dropout)), ("1", nn.Linear(h, shape.VocabularySize)));
        RegisterComponents();
    }

    /// <summary>The initial state (h, c), each (B, hidden), from the mean exemplar feature.</summary>
    public (Tensor H, Tensor C) InitialState(Tensor features)
    {
        CheckFeatures(features);
        using var scope = NewDisposeScope();
        var mean = features.mean([1]);
        var h = init_h.call(mean).tanh();
        var c = init_c.call(mean).tanh();
        return (h.MoveToOuterDisposeScope(), c.MoveToOuterDisposeScope());
    }

    /// <summary>The attention's key projection of the features, (B, K, attention hidden).</summary>
    public Tensor ProjectKeys(Tensor features) => attend.ProjectKeys(features);

    /// <summary>
    /// One step for B neurons with G hypotheses each: <paramref name="tokens"/> (B·G) are the previous
    /// tokens, (<paramref name="h"/>, <paramref name="c"/>) (B·G, hidden) the previous state. Returns the
    /// next-token log-probabilities (B·G, V'), the attention (B·G, K) and the new state.
    /// </summary>
    public DecoderStep Step(Tensor features, Tensor keys, Tensor tokens, Tensor h, Tensor c)
    {
        using var scope = NewDisposeScope();
        long batch = features.shape[0], rows = h.shape[0];
        if (rows % batch != 0)
            throw new ArgumentException($"state has {rows} rows, not a multiple of the {batch} neurons");
        long group = rows / batch;
        var attention = attend.Weights(h.view(batch, group, -1), keys);            // (B, G, K)
        var attended = attention.bmm(features).view(rows, -1);                     // (B·G, D)
        var gated = attended * feature_gate.call(h).sigmoid();
        var inputs = cat([embedding.call(tokens), gated], 1);
        var (hNext, cNext) = lstm.call(inputs, (h, c));
        var logProbs = output.call(hNext).log_softmax(1);
        return new DecoderStep(
            logProbs.MoveToOuterDisposeScope(),
            attention.view(rows, -1).MoveToOuterDisposeScope(),
            hNext.MoveToOuterDisposeScope(),
            cNext.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Teacher forcing: feeds <paramref name="inputs"/> (B, T) token by token (the first is &lt;start&gt;)
    /// and returns the log-probabilities (B, T, V') of each next token and the attention (B, T, K).
    /// </summary>
    public (Tensor LogProbs, Tensor Attention) TeacherForce(Tensor features, Tensor inputs)
    {
        CheckFeatures(features);
        using var scope = NewDisposeScope();
        var (h, c) = InitialState(features);
        var keys = ProjectKeys(features);
        var logProbs = new List<Tensor>();
        var attentions = new List<Tensor>();
        for (long t = 0; t < inputs.shape[1]; t++)
        {
            var step = Step(features, keys, inputs[.., t], h, c);
            logProbs.Add(step.LogProbs);
            attentions.Add(step.Attention);
            (h, c) = (step.H, step.C);
        }
        return (stack(logProbs, 1).MoveToOuterDisposeScope(), stack(attentions, 1).MoveToOuterDisposeScope());
    }

    private void CheckFeatures(Tensor features)
    {
        if (features.dim() != 3 || features.shape[2] != Shape.FeatureSize)
            throw new ArgumentException(
                $"features must be (neurons, exemplars, {Shape.FeatureSize}); got [{string.Join(",", features.shape)}]");
    }
}

/// <summary>One decoder step's outputs (see <see cref="CaptionDecoder.Step"/>).</summary>
public readonly record struct DecoderStep(Tensor LogProbs, Tensor Attention, Tensor H, Tensor C);

/// <summary>Sizes of a <see cref="CaptionDecoder"/>; the defaults are the reference's.</summary>
public sealed record CaptionDecoderShape(
    int FeatureSize,
    int VocabularySize,
    int EmbeddingSize = 128,
    int HiddenSize = 512,
    int? AttentionHidden = null,
    double Dropout = 0.5)
{
    /// <summary>The reference's default: min(hidden, feature size).</summary>
    public int AttentionHiddenSize => AttentionHidden ?? Math.Min(HiddenSize, FeatureSize);

    internal void Validate()
    {
        if (FeatureSize <= 0 || VocabularySize <= 0 || EmbeddingSize <= 0 || HiddenSize <= 0 || AttentionHiddenSize <= 0)
            throw new ArgumentException($"decoder sizes must be positive: {this}");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"dropout must be in [0, 1): {Dropout}");
    }
}

/// <summary>
/// Additive attention over exemplar vectors: softmax_k(v · tanh(W_q q + W_k F_k)) (reference
/// names query_to_hidden, key_to_hidden, output.0).
/// </summary>
internal sealed class ExemplarAttention : nn.Module
{
    private readonly Linear query_to_hidden;
    private readonly Linear key_to_hidden;
    private readonly Sequential output;

    public ExemplarAttention(int querySize, int keySize, int hiddenSize) : base(nameof(ExemplarAttention))
    {
        query_to_hidden = nn.Linear(querySize, hiddenSize);
        key_to_hidden = nn.Linear(keySize, hiddenSize);
        output = nn.Sequential(("0", nn.Linear(hiddenSize, 1)));
        RegisterComponents();
    }

    public Tensor ProjectKeys(Tensor keys) => key_to_hidden.call(keys);

    /// <summary>Weights (B, G, K) for queries (B, G, Q) over projected keys (B, K, A).</summary>
    public Tensor Weights(Tensor queries, Tensor projectedKeys)
    {
        using var scope = NewDisposeScope();
        var hidden = (query_to_hidden.call(queries).unsqueeze(2) + projectedKeys.unsqueeze(1)).tanh_(); // (B, G, K, A), in place: the largest tensor of a decoding step
        return output.call(hidden).squeeze(-1).softmax(-1).MoveToOuterDisposeScope();
    }
}
