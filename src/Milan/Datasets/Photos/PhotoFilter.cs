using System.Globalization;

namespace Milan.Datasets.Photos;

/// <summary>
/// Which images count as photographs (<see cref="PhotoStatistics"/> for the measures). The defaults
/// were set by measuring every image of the Debian packages and looking at samples of what each rule
/// keeps and drops (docs/data.md has the figures).
/// </summary>
public sealed record PhotoFilter
{
    /// <summary>Shorter side of the original image, in pixels: smaller ones are icons or thumbnails.</summary>
    public int MinShorterSide { get; init; } = 80;

    /// <summary>Share of opaque pixels: cut-outs keep their object, mostly transparent images are drawn symbols.</summary>
    public double MinOpaqueShare { get; init; } = 0.2;

    public int MinColours { get; init; } = 200;

    public double MaxTopColourShare { get; init; } = 0.5;

    public double MaxFlatShare { get; init; } = 0.5;

    /// <summary>Null when the image passes; otherwise the first rule it fails, in words.</summary>
    public string? Reject(PhotoStatistics s)
    {
        if (s.ShorterSide < MinShorterSide) return $"small ({s.Width}x{s.Height})";
        if (s.OpaqueShare < MinOpaqueShare) return $"mostly transparent ({Percent(s.OpaqueShare)} opaque)";
        if (s.Colours < MinColours) return $"few colours ({s.Colours})";
        if (s.TopColourShare > MaxTopColourShare) return $"flat fills (8 colours cover {Percent(s.TopColourShare)})";
        if (s.FlatShare > MaxFlatShare) return $"smooth ({Percent(s.FlatShare)} flat neighbours)";
        return null;
    }

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
