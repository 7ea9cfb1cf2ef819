namespace Milan.Captioning;

/// <summary>
/// One neuron's description. <see cref="Score"/> is what the strategy maximised: log p(d|E) for greedy,
/// sampling and beam; log p(d|E) − λ·log p(d) for rerank (per-step PMI scores for the PMI variants).
/// </summary>
/// <param name="Description">The detokenized description (milan-spec §3.3).</param>
/// <param name="Tokens">Token ids up to and including &lt;stop&gt; (no &lt;stop&gt; if it ran out of steps).</param>
/// <param name="CaptionScore">Σ of step scores of the captioner up to &lt;stop&gt;.</param>
/// <param name="LmScore">log p(d) under the language model, for rerank.</param>
/// <param name="Beam">The beam candidates (rerank and beam; best captioner score first), without dead ones.</param>
public sealed record DecodedNeuron(
    string Description,
    int[] Tokens,
    double Score,
    double CaptionScore,
    double? LmScore,
    IReadOnlyList<BeamCandidate>? Beam);

/// <summary>A beam candidate with its scores (<see cref="LmScore"/> and the PMI <see cref="Score"/> for rerank).</summary>
public sealed record BeamCandidate(string Description, int[] Tokens, double CaptionScore, double? LmScore, double Score);
