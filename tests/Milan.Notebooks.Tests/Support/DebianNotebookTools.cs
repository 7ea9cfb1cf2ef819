namespace Milan.Notebooks.Tests.Support;

/// <summary>Debian's nbformat and nbconvert (scripts/setup.sh installs them), as a reader of our files.</summary>
public static class DebianNotebookTools
{
    /// <summary>Fails the test unless <c>nbformat.validate</c> accepts the notebook (as nbformat 4).</summary>
    public static void AssertValid(string notebookPath)
    {
        var result = ProcessResult.Run(Tools.DebianPython,
        [
            "-c",
            "import sys, warnings, nbformat\n" +
            "warnings.simplefilter('error')\n" +  // nbformat's 'missing id' warning fails too
            "nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\n" +
            "assert nb.nbformat == 4 and nb.nbformat_minor == 5, (nb.nbformat, nb.nbformat_minor)\n" +
            "nbformat.validate(nb)\n" +
            "print('valid')",
            notebookPath,
        ]);
        Assert.True(result.ExitCode == 0 && result.Output.Contains("valid"), $"nbformat rejects {notebookPath}:\n{result.Output}");
    }

    /// <summary>Converts to HTML with nbconvert; fails the test if it cannot; returns the HTML file.</summary>
    public static string ToHtml(string notebookPath)
    {
        string folder = Path.GetDirectoryName(notebookPath)!;
        string name = Path.GetFileNameWithoutExtension(notebookPath) + ".nbconvert";
        var result = ProcessResult.Run(Tools.NbConvert, ["--to", "html", notebookPath, "--output-dir", folder, "--output", name]);
        string html = Path.Combine(folder, name + ".html");
        Assert.True(result.ExitCode == 0 && File.Exists(html), $"nbconvert could not convert {notebookPath}:\n{result.Output}");
        return html;
    }
}
