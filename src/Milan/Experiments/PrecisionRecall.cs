namespace Milan.Experiments;

/// <summary>
/// Agreement of a rule's flags with the ground truth: <see cref="Flagged"/> units flagged by the
/// rule, <see cref="Relevant"/> units flagged by the truth, <see cref="Both"/> by both.
/// Precision = Both/Flagged, recall = Both/Relevant (NaN when the denominator is 0).
/// </summary>
public readonly record struct PrecisionRecall(int Flagged, int Relevant, int Both)
{
    public double Precision => Flagged == 0 ? double.NaN : (double)Both / Flagged;
    public double Recall => Relevant == 0 ? double.NaN : (double)Both / Relevant;

    public static PrecisionRecall Of(IEnumerable<(bool Flagged, bool Relevant)> units)
    {
        int flagged = 0, relevant = 0, both = 0;
        foreach (var (f, r) in units)
        {
            if (f) flagged++;
            if (r) relevant++;
            if (f && r) both++;
        }
        return new PrecisionRecall(flagged, relevant, both);
    }
}
