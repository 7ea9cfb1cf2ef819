using System.Text.RegularExpressions;
using Milan.IO;

namespace Milan.Datasets.Photos;

/// <summary>
/// The licence of a file as a package's /usr/share/doc/&lt;package&gt;/copyright states it. In the
/// machine-readable format (DEP-5) the last "Files:" paragraph whose pattern matches wins; patterns
/// name paths in the source tree, not where files are installed, so a pattern matches when it matches
/// the installed path or any tail of it that starts at a folder boundary (16.04/Bridge.jpg matches
/// usr/share/backgrounds/16.04/Bridge.jpg). A file in another format gives "see &lt;copyright file&gt;".
/// </summary>
public sealed class DebianCopyright
{
    private readonly IReadOnlyList<(Regex[] Patterns, string License)> _paragraphs;
    private readonly string _fallback;

    private DebianCopyright(IReadOnlyList<(Regex[] Patterns, string License)> paragraphs, string fallback)
    {
        _paragraphs = paragraphs;
        _fallback = fallback;
    }

    /// <summary>The copyright file of <paramref name="package"/> under <paramref name="packageRoot"/>; a missing file gives "unknown".</summary>
    public static DebianCopyright Read(string packageRoot, string package)
    {
        string path = Path.Combine(packageRoot, "usr", "share", "doc", package, "copyright");
        if (!File.Exists(path)) return new DebianCopyright([], "unknown (no copyright file)");
        return Parse(InputFile.ReadAllText(path), $"see /usr/share/doc/{package}/copyright");
    }

    public static DebianCopyright Parse(string text, string fallback)
    {
        var paragraphs = new List<(Regex[], string)>();
        foreach (var paragraph in Regex.Split(text.Replace("\r\n", "\n"), @"\n[ \t]*\n"))
        {
            var fields = Fields(paragraph);
            if (fields.TryGetValue("files", out var files) && fields.TryGetValue("license", out var license))
            {
                string name = license.Split('\n')[0].Trim();
                if (name.Length == 0) continue;
                paragraphs.Add((files.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(Glob).ToArray(), name));
            }
        }
        return new DebianCopyright(paragraphs, fallback);
    }

    /// <summary>The licence of the file at <paramref name="installedPath"/> ('/'-separated, relative to the package root).</summary>
    public string LicenseOf(string installedPath)
    {
        var parts = installedPath.Trim('/').Split('/');
        var tails = Enumerable.Range(0, parts.Length).Select(i => string.Join('/', parts[i..])).ToArray();
        for (int i = _paragraphs.Count - 1; i >= 0; i--)
            if (_paragraphs[i].Patterns.Any(p => tails.Any(p.IsMatch))) return _paragraphs[i].License;
        return _fallback;
    }

    /// <summary>Fields of one paragraph, names lower-case, continuation lines joined with '\n'.</summary>
    private static Dictionary<string, string> Fields(string paragraph)
    {
        var fields = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in paragraph.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (current is not null) fields[current] += "\n" + line.Trim();
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            current = line[..colon].Trim().ToLowerInvariant();
            fields[current] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    /// <summary>A DEP-5 pattern: '*' any run of characters (slashes included), '?' one character. Runs of '*' are one (no backtracking blow-up).</summary>
    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(Regex.Replace(pattern, @"\*+", "*")).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
}
