namespace Milan.Notebooks.Kernel;

/// <summary>
/// The helpers a cell can call without qualification: the executor submits
/// <c>using static Milan.Notebooks.Kernel.KernelHelpers;</c> before the first cell, as .NET
/// Interactive does with <c>Microsoft.DotNet.Interactive.Kernel</c>. The lower-case name is
/// .NET Interactive's.
/// </summary>
public static class KernelHelpers
{
    /// <summary>
    /// Adds <paramref name="value"/> to the running cell's outputs, formatted for each of
    /// <paramref name="mimeTypes"/> (none: the default representation). The returned value can be
    /// updated in place.
    /// </summary>
    public static DisplayedValue display(object? value, params string[] mimeTypes) => value.Display(mimeTypes);

    /// <summary>Markup shown as <c>text/html</c> when displayed or returned by a cell.</summary>
    public static HtmlContent HTML(string content) => new(content);

    /// <summary>Adds a style sheet to the page that shows the notebook (a <c>text/html</c> output).</summary>
    public static void CSS(string content) =>
        Javascript(
            "(function () { var style = document.createElement('style'); style.textContent = "
            + JavaScriptString(content) + "; (document.head || document.documentElement).appendChild(style); })();");

    /// <summary>Runs a script in the page that shows the notebook (a <c>text/html</c> output).</summary>
    public static void Javascript(string scriptContent) =>
        display(HTML("<script type=\"text/javascript\">\n" + scriptContent + "\n</script>"));

    private static string JavaScriptString(string text) =>
        System.Text.Json.JsonSerializer.Serialize(text).Replace("</", "<\\/", StringComparison.Ordinal);
}
