namespace Milan.Evaluation;

/// <summary>Settings of the NetDissect and CompExp baselines (defaults: the references' settings).</summary>
public sealed record DissectionOptions
{
    /// <summary>
    /// A unit's mask is where its upsampled activation exceeds its (1 − TopQuantile) quantile over
    /// the probe set (NetDissect-Lite and CompExp: QUANTILE = 0.005, i.e. the top 0.5%).
    /// </summary>
    public double TopQuantile { get; init; } = 0.005;

    /// <summary>IoU a NetDissect label needs to count as a detector (SCORE_THRESHOLD = 0.04).</summary>
    public double IouThreshold { get; init; } = 0.04;

    /// <summary>Longest CompExp formula, in concepts (MAX_FORMULA_LENGTH = 3).</summary>
    public int MaxFormulaLength { get; init; } = 3;

    /// <summary>CompExp beam width (BEAM_SIZE = 5).</summary>
    public int BeamSize { get; init; } = 5;

    /// <summary>
    /// Side of the masks IoU is computed at; null: half the probe image size, as Broden's 112-px
    /// segmentations for 224-px inputs (activations are upsampled to it bilinearly, concept masks
    /// resampled by nearest neighbour).
    /// </summary>
    public int? MaskSize { get; init; }

    /// <summary>Images per batch when reading masks and running the model.</summary>
    public int BatchSize { get; init; } = 100;
}
