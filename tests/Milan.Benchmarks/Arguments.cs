using System.Globalization;

namespace Milan.Benchmarks;

/// <summary>The benchmark's command line: "--name value" pairs and bare flags after the verb.</summary>
public sealed class Arguments(IReadOnlyList<string> args)
{
    public IReadOnlyList<string> All => args;

    public string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public string Text(string name, string fallback) => Value(name) ?? fallback;

    public int Number(string name, int fallback) =>
        Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public int? Number(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public bool Flag(string name) => args.Contains(name);
}
