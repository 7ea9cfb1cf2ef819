namespace Milan;

/// <summary>
/// Bad input from the user: a missing file, a malformed CSV/npy/ipynb, a wrong shape, an unknown
/// layer name, an unavailable device. The message names the file (or option), the field and what was
/// expected; the CLI prints it as one line and exits non-zero, without a stack trace.
/// </summary>
public class MilanInputException : Exception
{
    public MilanInputException(string message) : base(message) { }

    public MilanInputException(string message, Exception inner) : base(message, inner) { }

    /// <summary>An error about a file: "path: problem".</summary>
    public static MilanInputException InFile(string path, string problem) => new($"{path}: {problem}");
}
