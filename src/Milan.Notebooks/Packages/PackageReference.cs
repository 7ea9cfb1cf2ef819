using System.Text.RegularExpressions;

namespace Milan.Notebooks.Packages;

/// <summary>A package asked for with <c>#r "nuget: Name, Version"</c>; "*" when no version is given.</summary>
public sealed partial record PackageReference(string Name, string Version)
{
    /// <summary>Parses the text after <c>nuget:</c>; null with a reason when it is not a package reference.</summary>
    public static PackageReference? TryParse(string text, out string? problem)
    {
        int comma = text.IndexOf(',');
        string name = (comma < 0 ? text : text[..comma]).Trim();
        string version = comma < 0 ? "*" : text[(comma + 1)..].Trim();
        if (version.Length == 0) version = "*";
        problem = name.Length == 0 ? "a package name is missing"
            : !PackageName().IsMatch(name) ? $"'{name}' is not a package name"
            : !PackageVersion().IsMatch(version) ? $"'{version}' is not a package version"
            : null;
        return problem is null ? new PackageReference(name, version) : null;
    }

    /// <summary>True for floating versions (<c>*</c>, <c>1.*</c>, <c>*-*</c>), whose restores are not cached.</summary>
    public bool IsFloating => Version.Contains('*');

    public override string ToString() => $"{Name}, {Version}";

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex PackageName();

    [GeneratedRegex(@"^[A-Za-z0-9.\-+*\[\]\(\), ]+$")]
    private static partial Regex PackageVersion();
}
