using Milan.Notebooks.Tests.Support;
using static Milan.Notebooks.Tests.Support.NotebookFile;

namespace Milan.Notebooks.Tests.Packages;

/// <summary>#r of a DLL path, a package version conflict, a package the sources do not have.</summary>
public sealed class ReferenceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Package_conflicts_and_missing_packages_are_cell_errors_and_dll_paths_resolve_from_the_notebooks_folder()
    {
        // CsvHelper is in the package folder: the library depends on it.
        string csvHelper = Directory.EnumerateFiles(Path.Combine(Tools.NuGetPackages, "csvhelper"), "CsvHelper.dll", SearchOption.AllDirectories)
            .First(p => p.Contains($"{Path.DirectorySeparatorChar}net10.0{Path.DirectorySeparatorChar}"));
        Directory.CreateDirectory(_folder.File("lib"));
        File.Copy(csvHelper, _folder.File("lib/CsvHelper.dll"));
        string notebook = NotebookFile.Write(_folder.File("references.ipynb"), Notebook(
            Code("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"", "r1"),
            Code("#r \"nuget: Plotly.NET.CSharp, 0.13.0\"", "r2"),
            Code("#r \"nuget: Milan.Notebooks.Tests.No.Such.Package, 1.0.0\"", "r3"),
            Code("#r \"lib/CsvHelper.dll\"\nCsvHelper.CsvReader.FromText(\"a,b\\n1,2\\n\").Headers.Count", "r4")));

        var run = NotebookRun.Execute(notebook);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Empty(run.Errors("r1"));
        Assert.Equal(["Plotly.NET.CSharp version 0.13.0 cannot be added because version 0.14.0 was added previously."], run.Errors("r2"));
        string missing = Assert.Single(run.Errors("r3"));
        Assert.Contains("package restore failed", missing);
        Assert.Contains("Milan.Notebooks.Tests.No.Such.Package", missing);
        Assert.Equal(["2"], run.Displayed("r4", "text/plain"));
        DebianNotebookTools.AssertValidAndConvertible(run.OutputPath);
    }

    public void Dispose() => _folder.Dispose();
}
