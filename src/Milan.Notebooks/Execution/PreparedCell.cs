using Milan.Notebooks.Packages;

namespace Milan.Notebooks.Execution;

/// <summary>
/// A C# cell ready for Roslyn: the directives the executor handles itself are replaced by empty
/// lines, so that line numbers in diagnostics and stack traces are the cell's own.
/// </summary>
/// <param name="Code">The code Roslyn compiles.</param>
/// <param name="Packages">The <c>#r "nuget: …"</c> references, in order.</param>
/// <param name="Sources">The <c>#i "nuget: …"</c> package sources, in order.</param>
public sealed record PreparedCell(string Code, IReadOnlyList<PackageReference> Packages, IReadOnlyList<string> Sources)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Code) && Packages.Count == 0 && Sources.Count == 0;
}
