using System.Text.RegularExpressions;
using Milan.Notebooks.Kernel.Hosting;

namespace Milan.Notebooks.Kernel;

/// <summary>
/// A value that has been displayed in a cell's outputs. <see cref="Update"/> replaces that output
/// in place (as VS Code shows it), even when called from a later cell.
/// </summary>
public sealed partial class DisplayedValue
{
    private readonly string[] _mimeTypes;
    private readonly bool _verbatim;

    internal DisplayedValue(string[] mimeTypes, bool verbatim)
    {
        foreach (var mimeType in mimeTypes)
        {
            // nbformat stores outputs keyed by MIME type and rejects anything else
            if (mimeType is null || !MimeType().IsMatch(mimeType))
                throw new ArgumentException($"'{mimeType}' is not a MIME type such as text/html or image/png", nameof(mimeTypes));
        }
        DisplayId = Guid.NewGuid().ToString("N");
        _mimeTypes = mimeTypes;
        _verbatim = verbatim;
    }

    /// <summary>The identifier of the output this value occupies.</summary>
    public string DisplayId { get; }

    /// <summary>The MIME types asked for when the value was displayed (empty: the defaults).</summary>
    public IReadOnlyList<string> MimeTypes => _mimeTypes;

    /// <summary>
    /// Formats <paramref name="updatedValue"/> like the original and replaces the output. A value
    /// shown with <c>DisplayAs</c> is replaced by the new string, verbatim.
    /// </summary>
    public void Update(object? updatedValue) => Publish(updatedValue, isUpdate: true);

    internal void Publish(object? value, bool isUpdate)
    {
        IReadOnlyList<FormattedValue> values = _verbatim && value is string text
            ? _mimeTypes.Select(mime => new FormattedValue(mime, text)).ToArray()
            : Formatter.Format(value, _mimeTypes);
        Type? approximated = _mimeTypes.Length == 0 && !Formatter.HasFaithfulText(value) ? value!.GetType() : null;
        KernelHost.Publish(new DisplayEvent(DisplayId, values, isUpdate, approximated));
    }

    [GeneratedRegex(@"^[a-zA-Z0-9]+/[a-zA-Z0-9+\-.]+$")]
    private static partial Regex MimeType();
}
