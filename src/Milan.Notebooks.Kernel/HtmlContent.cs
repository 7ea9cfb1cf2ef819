namespace Milan.Notebooks.Kernel;

/// <summary>
/// Markup to be shown as <c>text/html</c> without encoding; what <see cref="KernelHelpers.HTML"/>
/// returns. Stands in for .NET Interactive's <c>IHtmlContent</c>: cells should use the value
/// (display it, return it) rather than name the type.
/// </summary>
public sealed class HtmlContent
{
    private readonly string _html;

    /// <summary>Wraps markup.</summary>
    public HtmlContent(string html) => _html = html ?? throw new ArgumentNullException(nameof(html));

    /// <summary>The markup, unchanged.</summary>
    public override string ToString() => _html;
}
