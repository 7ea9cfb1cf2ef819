namespace Milan.Notebooks.Kernel;

/// <summary>One representation of a displayed value: a MIME type and the text stored for it.</summary>
/// <param name="MimeType">For example <c>text/plain</c>, <c>text/html</c>, <c>image/png</c>.</param>
/// <param name="Value">The text; for binary types such as <c>image/png</c>, base64.</param>
public sealed record FormattedValue(string MimeType, string Value);
