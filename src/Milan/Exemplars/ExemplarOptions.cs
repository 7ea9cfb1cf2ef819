using Milan.Datasets;
using Milan.Stats;

namespace Milan.Exemplars;

/// <summary>
/// Settings of an exemplar computation (milan-spec §1.2); the defaults are the reference's, except the
/// batch size (128 there) and the quantile, which is exact here when it fits in memory.
/// </summary>
public sealed record ExemplarOptions
{
    /// <summary>Top images kept per unit.</summary>
    public int K { get; init; } = 15;

    /// <summary>The activation quantile η_u that masks are thresholded at.</summary>
    public double Quantile { get; init; } = 0.99;

    /// <summary>Where the exact quantile is read among the sorted values (torch.quantile's default, or the reference sketch's).</summary>
    public QuantilePosition QuantilePosition { get; init; } = QuantilePosition.Linear;

    public QuantileMethod QuantileMethod { get; init; } = QuantileMethod.Auto;

    /// <summary>Largest memory (bytes, per layer) the exact quantile may use before Auto switches to the sketch.</summary>
    public long ExactQuantileMaxBytes { get; init; } = 1L << 30;

    /// <summary>Top-level capacity of the sketch (the reference's resolution is 4096).</summary>
    public int SketchCapacity { get; init; } = 4096;

    /// <summary>Seed of the sketch's coins; the exact method has no randomness.</summary>
    public int Seed { get; init; }

    /// <summary>Keep only the first N units of each layer and write units.npy (the reference's --units); null = all.</summary>
    public int? Units { get; init; }

    public int BatchSize { get; init; } = 64;

    /// <summary>Side of the written images and masks; null = the image source's size (224 in the reference).</summary>
    public int? OutputSize { get; init; }

    /// <summary>Whether to write a PNG contact sheet per unit (sheets/unit_NNNN.png).</summary>
    public bool ContactSheets { get; init; } = true;

    /// <summary>How source bytes become model input.</summary>
    public ImageNormalization Normalization { get; init; } = ImageNormalization.ImageNet;

    /// <summary>What the model is (architecture, weights), recorded in exemplars.json.</summary>
    public string Model { get; init; } = "unnamed model";

    /// <summary>
    /// How exemplars.json names the image source; null = its path, relative to MILAN_DATA_DIR when inside
    /// it (so a moved data root still matches its exemplar folders).
    /// </summary>
    public string? ImageSourceName { get; init; }

    /// <summary>Checks the options against a source; problems are input errors naming the option.</summary>
    public void Validate(IImageSource source)
    {
        if (K < 1) throw new MilanInputException($"--k {K}: expected at least 1");
        if (source.Count < K)
            throw new MilanInputException($"--k {K}: the image source {source.Description} has only {source.Count} images");
        if (Quantile is < 0 or > 1 || double.IsNaN(Quantile)) throw new MilanInputException($"--quantile {Quantile}: expected a number in [0, 1]");
        if (Units is < 1) throw new MilanInputException($"--units {Units}: expected at least 1");
        if (BatchSize < 1) throw new MilanInputException($"--batch-size {BatchSize}: expected at least 1");
        if (OutputSize is < 1) throw new MilanInputException($"--output-size {OutputSize}: expected at least 1");
        if (SketchCapacity < 8) throw new MilanInputException($"sketch capacity {SketchCapacity}: expected at least 8");
        if (Normalization.Mean.Length != 3 || Normalization.Std.Length != 3)
            throw new MilanInputException("normalization: expected 3 means and 3 standard deviations");
    }

    /// <summary>The side of the written images and masks for a source.</summary>
    public int OutputSizeFor(IImageSource source) => OutputSize ?? source.ImageSize;
}
