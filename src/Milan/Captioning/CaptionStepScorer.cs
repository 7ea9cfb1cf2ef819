using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Drives a <see cref="CaptionDecoder"/> for the search: log p(w | w&lt;t, E), or with a language model
/// and λ the per-step PMI score log p(w | w&lt;t, E) − λ·log p_LM(w | w&lt;t) (milan-spec §5.3), the LM
/// starting from a zero state and reading the same tokens. The state tensors it keeps between steps are
/// its own (outside any dispose scope) and are freed on <see cref="Dispose"/>.
/// </summary>
public sealed class CaptionStepScorer : IStepScorer, IDisposable
{
    private readonly CaptionDecoder _decoder;
    private readonly LanguageModel? _lm;
    private readonly double _lambda;
    private readonly int _startId;
    private readonly Tensor _features;
    private readonly Tensor _keys;
    private Tensor? _h, _c, _lmH, _lmC;

    public long Batch { get; }
    public int ClassCount { get; }

    /// <param name="features">(B, K, D) on the decoder's device.</param>
    public CaptionStepScorer(CaptionDecoder decoder, Tensor features, int startId, LanguageModel? perStepLm = null, double lambda = 0)
    {
        _decoder = decoder;
        _lm = perStepLm;
        _lambda = lambda;
        _startId = startId;
        _features = features;
        Batch = features.shape[0];
        ClassCount = decoder.Shape.VocabularySize;
        _keys = decoder.ProjectKeys(features).DetachFromDisposeScope();
    }

    public Tensor Begin()
    {
        using var scope = NewDisposeScope();
        var (h, c) = _decoder.InitialState(_features);
        var tokens = full(Batch, (long)_startId, dtype: ScalarType.Int64, device: _features.device);
        (Tensor? lmH, Tensor? lmC) = _lm is null ? (null, null) : _lm.ZeroState(Batch, _features.device);
        return Run(tokens, h, c, lmH, lmC).MoveToOuterDisposeScope();
    }

    public Tensor Advance(Tensor parents, Tensor tokens)
    {
        if (_h is null || _c is null) throw new InvalidOperationException("Begin must be called before Advance");
        using var scope = NewDisposeScope();
        var h = _h.index_select(0, parents);
        var c = _c.index_select(0, parents);
        var lmH = _lmH?.index_select(1, parents);
        var lmC = _lmC?.index_select(1, parents);
        return Run(tokens, h, c, lmH, lmC).MoveToOuterDisposeScope();
    }

    private Tensor Run(Tensor tokens, Tensor h, Tensor c, Tensor? lmH, Tensor? lmC)
    {
        var step = _decoder.Step(_features, _keys, tokens, h, c);
        Replace(ref _h, step.H);
        Replace(ref _c, step.C);
        var scores = step.LogProbs;
        if (_lm is not null && lmH is not null && lmC is not null)
        {
            var (lmLogProbs, nextH, nextC) = _lm.Step(tokens, lmH, lmC);
            Replace(ref _lmH, nextH);
            Replace(ref _lmC, nextC);
            scores = scores - _lambda * lmLogProbs;
        }
        return scores;
    }

    private static void Replace(ref Tensor? field, Tensor value)
    {
        field?.Dispose();
        field = value.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        _keys.Dispose();
        _h?.Dispose();
        _c?.Dispose();
        _lmH?.Dispose();
        _lmC?.Dispose();
    }
}
