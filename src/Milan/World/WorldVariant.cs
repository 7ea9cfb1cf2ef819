using System.Globalization;

namespace Milan.World;

/// <summary>
/// A variant of a world: the same scenes (same seeds) rendered differently. "normal"; "faces-blurred"
/// (every face box Gaussian-blurred in every split, as in the face-obfuscated ImageNet of Yang et al.
/// used by the paper's audit); "spurious-text" (the class name in the top-left corner of a fraction
/// of the train and val images, and a random other class name on every test image: milan-spec §7.3).
/// </summary>
public sealed record WorldVariant(string Kind, double SpuriousFraction = 0.5)
{
    public const string NormalKind = "normal";
    public const string FacesBlurredKind = "faces-blurred";
    public const string SpuriousTextKind = "spurious-text";

    public static readonly IReadOnlyList<string> Kinds = [NormalKind, FacesBlurredKind, SpuriousTextKind];

    public static WorldVariant Normal { get; } = new(NormalKind);
    public static WorldVariant FacesBlurred { get; } = new(FacesBlurredKind);

    public static WorldVariant SpuriousText(double fraction = 0.5) =>
        fraction is >= 0 and <= 1 ? new(SpuriousTextKind, fraction) : throw new MilanInputException($"--spurious-fraction {fraction}: expected a fraction in [0, 1]");

    public static WorldVariant Parse(string? kind, double spuriousFraction = 0.5) => kind?.Trim().ToLowerInvariant() switch
    {
        null or "" or NormalKind => Normal,
        FacesBlurredKind => FacesBlurred,
        SpuriousTextKind => SpuriousText(spuriousFraction),
        _ => throw new MilanInputException($"--variant {kind}: expected {string.Join(", ", Kinds)}"),
    };

    /// <summary>The folder name: the kind, with the percentage when spurious text is not on the default half.</summary>
    public string FolderName => Kind == SpuriousTextKind && SpuriousFraction != 0.5
        ? $"{Kind}-{(SpuriousFraction * 100).ToString("0.##", CultureInfo.InvariantCulture)}pct"
        : Kind;

    public override string ToString() => FolderName;
}
