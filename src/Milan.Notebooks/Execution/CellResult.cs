using Microsoft.CodeAnalysis;

namespace Milan.Notebooks.Execution;

/// <summary>What running one cell's code gave.</summary>
public abstract record CellResult
{
    /// <summary>The code compiled and ran; <paramref name="HasValue"/> when it ended in an expression without ';'.</summary>
    public sealed record Completed(bool HasValue, object? Value) : CellResult;

    /// <summary>The code did not compile; nothing ran and the script state is unchanged.</summary>
    public sealed record CompileErrors(IReadOnlyList<Diagnostic> Errors) : CellResult;

    /// <summary>The code threw; variables assigned before the throw keep their values.</summary>
    public sealed record Threw(Exception Exception) : CellResult;
}
