using System.Globalization;
using System.Numerics;

namespace Milan.Annotations;

/// <summary>
/// Layer names as the reference keys them. annotations.csv layer values that are all digits are
/// parsed as integers (ResNet152-Places365's layers are "0", "4", "5", ...) and every lookup goes
/// through the integer's string form, so "04" in the CSV names the folder "4". Other names are kept
/// verbatim. Only ASCII digits count (Python's str.isdigit also accepts other Unicode digits; the
/// published files contain none).
/// </summary>
public static class LayerNames
{
    public static string Canonical(string layer)
    {
        if (layer.Length == 0 || !layer.All(char.IsAsciiDigit)) return layer;
        return BigInteger.Parse(layer, NumberStyles.None, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whether the name is an integer in the reference's sense (all ASCII digits).</summary>
    public static bool IsInteger(string layer) => layer.Length > 0 && layer.All(char.IsAsciiDigit);
}
