using System.Globalization;

namespace Milan.Reproduction;

/// <summary>
/// One number a step reports for the results table of the report, already formatted (e.g. "0.31",
/// "12.4 %"), with an optional note saying what it is measured on.
/// </summary>
public sealed record KeyNumber(string Name, string Value, string? Note = null)
{
    public static KeyNumber Of(string name, double value, string format = "0.###", string? note = null) =>
        new(name, value.ToString(format, CultureInfo.InvariantCulture), note);

    public static KeyNumber Of(string name, long value, string? note = null) =>
        new(name, value.ToString(CultureInfo.InvariantCulture), note);
}
