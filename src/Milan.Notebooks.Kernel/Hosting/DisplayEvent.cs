namespace Milan.Notebooks.Kernel.Hosting;

/// <summary>A display, or an update of an earlier one, sent to the host.</summary>
/// <param name="DisplayId">Identifies the output; an update names the output it replaces.</param>
/// <param name="Values">The representations to store, one per MIME type.</param>
/// <param name="IsUpdate">True when an earlier output is replaced in place.</param>
/// <param name="ApproximatedType">
/// Set when an object was shown as plain text although .NET Interactive would render it as HTML,
/// so that the host can warn that the output differs between the two.
/// </param>
public sealed record DisplayEvent(string DisplayId, IReadOnlyList<FormattedValue> Values, bool IsUpdate, Type? ApproximatedType = null);
