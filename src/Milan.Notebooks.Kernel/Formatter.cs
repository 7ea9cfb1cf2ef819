using System.Collections;
using System.Globalization;
using System.Net;

namespace Milan.Notebooks.Kernel;

/// <summary>
/// Turns a value into the MIME representations a notebook stores. The rules are deliberately
/// simple (docs/notebooks.md, "Kernel surface"): strings are <c>text/plain</c>,
/// <see cref="HtmlContent"/> is <c>text/html</c>, anything else is its invariant-culture text.
/// .NET Interactive renders numbers and objects as HTML instead; notebooks that must look the same
/// in both display strings or HTML they build themselves.
/// </summary>
public static class Formatter
{
    /// <summary>Items of a collection shown before the text is cut short.</summary>
    public const int MaxItems = 100;

    /// <summary>
    /// The representations of <paramref name="value"/>: the default one when
    /// <paramref name="mimeTypes"/> is empty, otherwise exactly one per requested type.
    /// </summary>
    public static IReadOnlyList<FormattedValue> Format(object? value, IReadOnlyList<string> mimeTypes)
    {
        if (mimeTypes.Count == 0)
            return [value is HtmlContent html ? new("text/html", html.ToString()) : new("text/plain", ToPlainText(value))];

        var values = new List<FormattedValue>(mimeTypes.Count);
        foreach (var mimeType in mimeTypes.Distinct(StringComparer.Ordinal))
            values.Add(new(mimeType, FormatAs(value, mimeType)));
        return values;
    }

    /// <summary>True for values whose plain text is exactly what .NET Interactive's text shows.</summary>
    public static bool HasFaithfulText(object? value) =>
        value is null or string or HtmlContent or IFormattable or bool or char or Uri;

    private static string FormatAs(object? value, string mimeType)
    {
        if (value is HtmlContent html)
            return html.ToString();
        if (value is byte[] bytes && mimeType.StartsWith("image/", StringComparison.Ordinal))
            return Convert.ToBase64String(bytes);
        if (mimeType == "text/html")
            return "<pre>" + WebUtility.HtmlEncode(ToPlainText(value)) + "</pre>";
        return ToPlainText(value);
    }

    /// <summary>The text of a value: <c>&lt;null&gt;</c>, the string itself, invariant-culture text
    /// for numbers and dates, the items of a collection in brackets, else <c>ToString()</c>.</summary>
    public static string ToPlainText(object? value) => value switch
    {
        null => "<null>",
        string s => s,
        HtmlContent h => h.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => ItemsText(items),
        _ => value.ToString() ?? "",
    };

    private static string ItemsText(IEnumerable items)
    {
        var parts = new List<string>();
        foreach (var item in items)
        {
            if (parts.Count == MaxItems)
            {
                parts.Add("…");
                break;
            }
            parts.Add(item is string s ? s : ToPlainText(item));
        }
        return "[" + string.Join(", ", parts) + "]";
    }
}
