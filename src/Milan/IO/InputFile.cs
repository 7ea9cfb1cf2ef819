namespace Milan.IO;

/// <summary>
/// Opens files that come from the user or from disk for reading, turning what the file system says
/// into one input error naming the file: not found, a folder where a file was expected, no
/// permission to read it, or another I/O failure. Readers use it so that no raw IOException or
/// UnauthorizedAccessException escapes to the user.
/// </summary>
public static class InputFile
{
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, e);
        }
    }

    public static string ReadAllText(string path)
    {
        using var reader = new StreamReader(OpenRead(path), detectEncodingFromByteOrderMarks: true);
        try
        {
            return reader.ReadToEnd();
        }
        catch (IOException e)
        {
            throw Unreadable(path, e);
        }
    }

    /// <summary>The input error for a file that could not be opened or read, saying why in the user's terms.</summary>
    public static MilanInputException Unreadable(string path, Exception e)
    {
        string why = Directory.Exists(path) ? "is a folder; expected a file"
            : e is FileNotFoundException or DirectoryNotFoundException ? "file not found"
            : e is UnauthorizedAccessException ? $"cannot be read: permission denied ({e.Message})"
            : $"cannot be read ({e.Message})";
        return MilanInputException.InFile(path, why);
    }
}
