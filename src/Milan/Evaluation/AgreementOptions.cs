namespace Milan.Evaluation;

/// <summary>Options of <see cref="Agreement"/>.</summary>
public sealed record AgreementOptions
{
    /// <summary>Bootstrap resamples per interval.</summary>
    public int Resamples { get; init; } = Stats.Bootstrap.DefaultResamples;

    /// <summary>Seed of the resampling.</summary>
    public long Seed { get; init; }

    /// <summary>Metrics reported (names from <see cref="MetricNames"/>).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = MetricNames.All;

    /// <summary>Also report per model and per layer (else only over all units).</summary>
    public bool PerGroup { get; init; } = true;
}
