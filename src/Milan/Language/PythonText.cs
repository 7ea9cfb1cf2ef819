namespace Milan.Language;

/// <summary>
/// The few Python string operations that the reference metrics rely on, with Python's definition of
/// whitespace (str.isspace also counts U+001C..U+001F, which char.IsWhiteSpace does not).
/// </summary>
internal static class PythonText
{
    public static bool IsWhitespace(char c) => char.IsWhiteSpace(c) || (c >= '\x1c' && c <= '\x1f');

    /// <summary>Python's <c>s.rstrip()</c>.</summary>
    public static string RightStrip(string s)
    {
        var end = s.Length;
        while (end > 0 && IsWhitespace(s[end - 1])) end--;
        return s[..end];
    }

    /// <summary>Python's <c>s.split()</c>: split on whitespace runs, no empty pieces.</summary>
    public static List<string> SplitOnWhitespace(string s)
    {
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var boundary = i == s.Length || IsWhitespace(s[i]);
            if (boundary && start >= 0) { parts.Add(s[start..i]); start = -1; }
            else if (!boundary && start < 0) start = i;
        }
        return parts;
    }

    /// <summary>Python's <c>s.strip()</c>.</summary>
    public static string Strip(string s)
    {
        var start = 0;
        while (start < s.Length && IsWhitespace(s[start])) start++;
        return RightStrip(s[start..]);
    }
}
