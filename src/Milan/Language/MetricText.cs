namespace Milan.Language;

/// <summary>The reference's normalisation before every metric (milan-spec §6.1).</summary>
public static class MetricText
{
    /// <summary>Lowercase, then strip periods and spaces at both ends (Python's <c>.lower().strip('. ')</c>).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToLowerInvariant().Trim('.', ' ');
    }
}
