using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Milan.Notebooks.Kernel;

namespace Milan.Notebooks.Execution;

/// <summary>
/// One Roslyn script state carried from cell to cell, set up as .NET Interactive's C# kernel is
/// (reference/notebooks-spec.md 2.1, 4, 8.1): C# 14, script code, exactly its six default
/// namespaces, <c>using static</c> of the kernel helpers submitted first, <c>#r</c> and
/// <c>#load</c> paths relative to the notebook's folder, a cell that throws still becomes the new
/// state. Unlike .NET Interactive, each cell is compiled with a file name ("cell-3") and debug
/// information, so that stack traces show the cell's line numbers.
/// </summary>
public sealed class ScriptSession
{
    /// <summary>.NET Interactive's default usings, exactly.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly MethodInfo HasReturnValueMethod =
        typeof(Script).GetMethod("HasReturnValue", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingMethodException("Roslyn's Script.HasReturnValue is gone; the trailing-expression rule needs another way");

    private ScriptOptions _options;
    private ScriptState<object?> _state;

    public ScriptSession(string workingDirectory)
    {
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.CSharp14)
            .WithImports(DefaultImports)
            .AddReferences(typeof(Enumerable).Assembly, typeof(KernelHelpers).Assembly)
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(workingDirectory))
            .WithSourceResolver(new SourceFileResolver([], workingDirectory))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
        _state = CSharpScript.Create<object?>($"using static {typeof(KernelHelpers).FullName};", _options)
            .RunAsync().GetAwaiter().GetResult();
    }

    /// <summary>References for this cell and every later one.</summary>
    public void AddReferences(IEnumerable<string> paths) =>
        _options = _options.AddReferences(paths.Select(p => MetadataReference.CreateFromFile(p)));

    /// <summary>
    /// Compiles the cell (which also emits and loads its assembly), then runs it;
    /// <paramref name="beforeRunning"/> is called in between, so that a timeout measures the
    /// cell's own code and not the compiler.
    /// </summary>
    public CellResult Run(string code, string fileName, Action beforeRunning)
    {
        var script = _state.Script.ContinueWith<object?>(code, _options.WithFilePath(fileName));
        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0) return new CellResult.CompileErrors(errors);

        beforeRunning();
        var state = script.RunFromAsync(_state, catchException: _ => true).GetAwaiter().GetResult();
        _state = state;
        if (state.Exception is not null) return new CellResult.Threw(state.Exception);
        bool hasValue = (bool)HasReturnValueMethod.Invoke(script, null)!;
        return new CellResult.Completed(hasValue, state.ReturnValue);
    }

    /// <summary>A diagnostic as .NET Interactive shows it: "(line,column): error CS0103: message".</summary>
    public static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        string where = diagnostic.Location.IsInSource
            ? $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : "";
        return $"{where}error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
