namespace Milan.Notebooks.Tests.Support;

/// <summary>Debian's nbformat and nbconvert (scripts/setup.sh installs them), as readers of our files.</summary>
public static class DebianNotebookTools
{
    /// <summary>
    /// Fails the test unless nbformat reads the notebook as nbformat 4.5 without a warning (a
    /// missing cell id is one), <c>nbformat.validate</c> accepts it, and nbconvert's HTML exporter
    /// converts it. Returns the HTML file, written next to the notebook.
    /// </summary>
    public static string AssertValidAndConvertible(string notebookPath)
    {
        string html = Path.ChangeExtension(notebookPath, ".nbconvert.html");
        var result = ProcessResult.Run(Tools.DebianPython,
        [
            "-c",
            "import sys, warnings, nbformat, nbconvert\n" +
            "warnings.simplefilter('error', nbformat.warnings.MissingIDFieldWarning)\n" +
            "nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\n" +
            "assert (nb.nbformat, nb.nbformat_minor) == (4, 5), (nb.nbformat, nb.nbformat_minor)\n" +
            "nbformat.validate(nb)\n" +
            "body, _ = nbconvert.HTMLExporter().from_notebook_node(nb)\n" +
            "open(sys.argv[2], 'w', encoding='utf-8').write(body)\n" +
            "print('valid and converted')",
            notebookPath,
            html,
        ]);
        Assert.True(result.ExitCode == 0 && result.Output.Contains("valid and converted") && File.Exists(html),
            $"Debian's nbformat/nbconvert reject {notebookPath}:\n{result.Output}");
        return html;
    }

    /// <summary>Converts with the <c>jupyter-nbconvert</c> command (lab template); returns the HTML file.</summary>
    public static string ConvertWithJupyterNbconvert(string notebookPath)
    {
        string folder = Path.GetDirectoryName(notebookPath)!;
        string name = Path.GetFileNameWithoutExtension(notebookPath) + ".jupyter-nbconvert";
        var result = ProcessResult.Run(Tools.NbConvert, ["--to", "html", notebookPath, "--output-dir", folder, "--output", name]);
        string html = Path.Combine(folder, name + ".html");
        Assert.True(result.ExitCode == 0 && File.Exists(html), $"jupyter-nbconvert could not convert {notebookPath}:\n{result.Output}");
        return html;
    }
}
