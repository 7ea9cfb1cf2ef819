namespace Milan.Captioning;

/// <summary>How a description is chosen (milan-spec §3.5, §5).</summary>
public enum DecodingStrategy
{
    /// <summary>The most likely token at each step.</summary>
    Greedy,

    /// <summary>A token drawn from p(w | w&lt;t, E) at each step (seeded).</summary>
    Sample,

    /// <summary>Beam search on log p(d | E); the best beam.</summary>
    Beam,

    /// <summary>Beam search on log p(d | E), then the beam candidate maximising log p(d|E) − λ·log p(d): MILAN's default.</summary>
    Rerank,
}

/// <summary>
/// How the language model scores a finished beam candidate for <see cref="DecodingStrategy.Rerank"/>.
/// </summary>
public enum LmScoring
{
    /// <summary>
    /// log p(d) = Σ log p_LM over the words and the closing &lt;stop&gt;: the intended score (default).
    /// </summary>
    Corrected,

    /// <summary>
    /// The reference's off-by-one (milan-spec §4): a candidate that ended before the search's last step
    /// also counts log p_LM(&lt;stop&gt; | …, &lt;stop&gt;). "The search's last step" is the neuron's own,
    /// i.e. the reference decoding one neuron per batch (with its batch of 16 the term also depended on
    /// which neurons shared the batch). For parity checks only.
    /// </summary>
    ReferenceQuirk,
}

/// <summary>Decoding settings; the defaults are MILAN's (rerank, λ = 0.2, beam 50, 15 steps).</summary>
public sealed record DecodingOptions
{
    /// <summary>A strategy by its name (rerank, beam, greedy, sample; any case), as users type it in <paramref name="field"/>.</summary>
    public static DecodingStrategy ParseStrategy(string name, string field = "decoding strategy") =>
        name.All(char.IsLetter) && Enum.TryParse<DecodingStrategy>(name, ignoreCase: true, out var strategy)
            ? strategy
            : throw new MilanInputException($"{field} {name}: expected rerank, beam, greedy or sample");

    public DecodingStrategy Strategy { get; init; } = DecodingStrategy.Rerank;

    /// <summary>λ, the weight of log p(d) (the reference's "temperature").</summary>
    public double Lambda { get; init; } = 0.2;

    public int BeamSize { get; init; } = 50;

    /// <summary>Most tokens generated, &lt;stop&gt; included.</summary>
    public int MaxLength { get; init; } = 15;

    public LmScoring LmScoring { get; init; } = LmScoring.Corrected;

    /// <summary>
    /// Per-step PMI (milan-spec §5.3): greedy, sampling and beam search score each token by
    /// log p(w|…, E) − λ·log p_LM(w|…). Not allowed with <see cref="DecodingStrategy.Rerank"/>.
    /// </summary>
    public bool PerStepPmi { get; init; }

    /// <summary>
    /// Let a description be empty (&lt;stop&gt; as the first token), as the reference's search does. Off by
    /// default: every strategy then chooses at least one word (<see cref="FirstWordRequired"/>).
    /// </summary>
    public bool AllowEmpty { get; init; }

    /// <summary>Neurons decoded at once.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Seed of <see cref="DecodingStrategy.Sample"/>.</summary>
    public long Seed { get; init; }

    public static DecodingOptions Default { get; } = new();

    public static DecodingOptions Greedy { get; } = new() { Strategy = DecodingStrategy.Greedy };

    internal void Validate(bool hasLanguageModel)
    {
        if (BeamSize < 1) throw new MilanInputException($"--beam {BeamSize}: expected at least 1");
        if (MaxLength < 1) throw new MilanInputException($"maximum length {MaxLength}: expected at least 1");
        if (BatchSize < 1) throw new MilanInputException($"batch size {BatchSize}: expected at least 1");
        if (!double.IsFinite(Lambda)) throw new MilanInputException($"--lambda {Lambda}: expected a finite number");
        if (PerStepPmi && Strategy == DecodingStrategy.Rerank)
            throw new MilanInputException("per-step PMI cannot be combined with --strategy rerank (the reference forbids it too)");
        if ((PerStepPmi || Strategy == DecodingStrategy.Rerank) && !hasLanguageModel)
            throw new MilanInputException($"--strategy {Strategy.ToString().ToLowerInvariant()}{(PerStepPmi ? " with per-step PMI" : "")} needs a language model p(d)");
    }
}
