namespace Milan.Exemplars;

/// <summary>How the per-unit activation threshold (the 0.99 quantile) is computed.</summary>
public enum QuantileMethod
{
    /// <summary><see cref="Exact"/> when its kept values fit in <see cref="ExemplarOptions.ExactQuantileMaxBytes"/>, else <see cref="Sketch"/>.</summary>
    Auto,

    /// <summary>Exact streaming quantile (<see cref="Stats.ExactRunningQuantile"/>).</summary>
    Exact,

    /// <summary>Approximate mergeable sketch with a bound on its error (<see cref="Stats.QuantileSketch"/>), as the reference.</summary>
    Sketch,
}
