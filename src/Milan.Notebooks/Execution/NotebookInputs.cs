using System.Text.RegularExpressions;

namespace Milan.Notebooks.Execution;

/// <summary>
/// How <c>--input key=value</c> reaches a notebook: as the environment variable
/// <c>MILAN_INPUT_&lt;KEY&gt;</c> (key upper-cased, '-' and '.' as '_'), set in the executor's
/// process before the first cell. A notebook reads it with a default, which is what it gets when
/// opened in an editor:
/// <c>var profile = Environment.GetEnvironmentVariable("MILAN_INPUT_PROFILE") ?? "demo";</c>
/// </summary>
public static partial class NotebookInputs
{
    public const string Prefix = "MILAN_INPUT_";

    public static bool IsValidKey(string key) => Key().IsMatch(key);

    public static string VariableName(string key) =>
        Prefix + key.ToUpperInvariant().Replace('-', '_').Replace('.', '_');

    public static void Publish(IReadOnlyDictionary<string, string> inputs)
    {
        foreach (var (key, value) in inputs)
            Environment.SetEnvironmentVariable(VariableName(key), value);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex Key();
}
