using Milan.Notebooks.Kernel;

// Namespace System on purpose, as in .NET Interactive: the extensions are then in scope in every
// cell without a using directive. This is the one file that does not follow namespace = folder.
namespace System;

/// <summary><c>value.Display()</c> and <c>"…".DisplayAs(mime)</c>, with .NET Interactive's meaning.</summary>
public static class DisplayExtensions
{
    /// <summary>Displays the value (see <see cref="KernelHelpers.display"/>).</summary>
    public static DisplayedValue Display(this object? value, params string[] mimeTypes)
    {
        var displayed = new DisplayedValue(mimeTypes ?? [], verbatim: false);
        displayed.Publish(value, isUpdate: false);
        return displayed;
    }

    /// <summary>
    /// Displays <paramref name="value"/> verbatim as <paramref name="mimeType"/>, e.g.
    /// <c>Convert.ToBase64String(png).DisplayAs("image/png")</c> or <c>html.DisplayAs("text/html")</c>.
    /// </summary>
    public static DisplayedValue DisplayAs(this string value, string mimeType)
    {
        var displayed = new DisplayedValue([mimeType], verbatim: true);
        displayed.Publish(value, isUpdate: false);
        return displayed;
    }
}
