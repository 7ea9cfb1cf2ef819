namespace Milan.Evaluation;

/// <summary>
/// A baseline's explanation of one unit: the formula as the reference prints it (a concept name for
/// NetDissect), the text MILAN scores, and the IoU over the probe set.
/// </summary>
public sealed record UnitLabel(string Layer, int Unit, string Formula, string Label, double Iou);
