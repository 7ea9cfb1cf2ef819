using static TorchSharp.torch;

namespace Milan.Captioning;

/// <summary>
/// Scores the next token of many partial sequences, for <see cref="BeamSearch"/> and the greedy and
/// sampling decoders. The scorer keeps one state row per live sequence; the search tells it, at each
/// step, which previous row every new row continues and with which token.
/// </summary>
public interface IStepScorer
{
    /// <summary>Number of neurons (independent searches) B.</summary>
    long Batch { get; }

    /// <summary>Number of token classes V' (the size of each log-probability row).</summary>
    int ClassCount { get; }

    /// <summary>Starts every neuron's sequence with &lt;start&gt;; returns the first token's scores (B, V').</summary>
    Tensor Begin();

    /// <summary>
    /// Continues row <paramref name="parents"/>[i] of the previous call with <paramref name="tokens"/>[i];
    /// returns the next token's scores (rows, V'). Rows are grouped by neuron: rows / B per neuron, in
    /// neuron order.
    /// </summary>
    Tensor Advance(Tensor parents, Tensor tokens);
}
