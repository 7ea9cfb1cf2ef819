using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// A step scorer that forbids &lt;stop&gt; as the first token, so that every decoded description has at
/// least one word (allennlp's <c>min_steps=1</c>). A departure from the reference, which searches
/// without it (milan-spec §3.5): a briefly trained captioner's most probable sequence can be the empty
/// one, and beam search and the PMI rerank then describe every unit with nothing (docs/captioning.md,
/// "Empty descriptions"). <see cref="DecodingOptions.AllowEmpty"/> restores the reference's search.
/// </summary>
public sealed class FirstWordRequired(IStepScorer inner, int stopId) : IStepScorer
{
    public long Batch => inner.Batch;

    public int ClassCount => inner.ClassCount;

    public Tensor Begin()
    {
        var scores = inner.Begin();
        scores[TensorIndex.Colon, stopId] = double.NegativeInfinity;
        return scores;
    }

    public Tensor Advance(Tensor parents, Tensor tokens) => inner.Advance(parents, tokens);
}
