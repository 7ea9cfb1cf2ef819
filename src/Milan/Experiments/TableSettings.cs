using Milan.Evaluation;
namespace Milan.Experiments;

/// <summary>
/// Sizes of the Table 2 and Table 3 analogues. <see cref="For"/> maps a profile to them: tiny runs in
/// seconds (tests; one seed, so its intervals hold the unit variation only), demo fits the demo's time budget on
/// 2 CPU cores with three seeds, the fewest that give the intervals a seed spread to estimate (docs/evaluation.md
/// has the measurements), paper uses the reference's settings (5 trials, beam 50, patience 4, 100 epochs).
/// </summary>
public sealed record TableSettings
{
    /// <summary>The described models (world corpus keys); each is held out in turn.</summary>
    public IReadOnlyList<string> Keys { get; init; } = ["resnet18/world-a", "alexnet/world-a", "resnet18/world-b"];

    /// <summary>Seeds of the MILAN trainings (the reference's trials); each trains a new p(d) and p(d|E).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2, 3, 4];

    public int MaxEpochs { get; init; } = 100;
    public int Patience { get; init; } = 4;

    /// <summary>
    /// Early stopping of p(d|E) on the greedy validation BLEU (true, the reference's) or on validation loss. The demo
    /// stops on loss: its ~40 validation units have 1-3-word descriptions, whose corpus BLEU-4 is 0 or nearly so at most
    /// epochs, and stopping on it restored epoch 1 (loss 4.5 against 1.7 at epoch 8) in 3 of 27 trainings, captioners
    /// that described every unit as "The" (docs/evaluation.md, "Failed trainings").
    /// </summary>
    public bool CaptionerStopsOnBleu { get; init; } = true;

    /// <summary>LSTM hidden size of p(d|E) and p(d) (the reference: 512).</summary>
    public int HiddenSize { get; init; } = 512;

    /// <summary>Beam of the PMI rerank (the reference: 50; λ stays 0.2).</summary>
    public int BeamSize { get; init; } = 50;

    /// <summary>Share of a model's units held out in the within-network split (the reference: 0.1).</summary>
    public double WithinNetworkHoldOut { get; init; } = 0.1;

    /// <summary>Bootstrap resamples of the units per interval.</summary>
    public int Resamples { get; init; } = 1000;

    public DissectionOptions Dissection { get; init; } = new();

    /// <summary>
    /// How the intervals are made (<see cref="Stats.SeedUnitInterval"/>); recorded in summary.json so that a table made
    /// with another method is computed again.
    /// </summary>
    public const string IntervalMethod = "unit bootstrap + t over seeds (Welch-Satterthwaite)";

    public static TableSettings For(Profile profile) => profile.Choose(
        new TableSettings { Seeds = [0], MaxEpochs = 2, Patience = 1, HiddenSize = 64, BeamSize = 5, WithinNetworkHoldOut = 0.2, Resamples = 200 },
        new TableSettings { Seeds = [0, 1, 2], MaxEpochs = 8, Patience = 2, CaptionerStopsOnBleu = false, HiddenSize = 256, BeamSize = 20, Resamples = 1000 },
        new TableSettings());
}
