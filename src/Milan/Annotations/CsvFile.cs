using System.Text;
using Milan.IO;

namespace Milan.Annotations;

/// <summary>One CSV record and the physical line (1-based) where it starts.</summary>
internal readonly record struct CsvRecord(int Line, string[] Fields);

/// <summary>
/// Reads CSV files the way Python's csv module reads them with its default (excel) dialect:
/// comma-separated, fields optionally quoted with '"', a doubled quote inside a quoted field is a
/// literal quote, quoted fields may span lines, CRLF or LF line ends, blank lines skipped. A UTF-8
/// byte-order mark is ignored; other bytes that are not UTF-8 are refused. Like Python (strict=False), characters after a closing quote are
/// appended to the field. A quoted field left open at the end of the file raises
/// <see cref="MilanInputException"/> naming the file and the line where the record starts.
/// </summary>
internal static class CsvFile
{
    /// <summary>The records of a UTF-8 file; bytes that are not UTF-8 are an input error (as in Python), not silently replaced.</summary>
    public static IEnumerable<CsvRecord> Read(string path)
    {
        string text;
        using (var reader = new StreamReader(InputFile.OpenRead(path), new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true))
        {
            try
            {
                text = reader.ReadToEnd();
            }
            catch (DecoderFallbackException e)
            {
                throw MilanInputException.InFile(path, $"not UTF-8 text (byte 0x{e.BytesUnknown?.FirstOrDefault():X2} cannot be decoded); save the file as UTF-8");
            }
        }
        return Read(new StringReader(text), path);
    }

    public static IEnumerable<CsvRecord> Read(TextReader reader, string path)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1;
        while (true)
        {
            int start = line;
            fields.Clear();
            field.Clear();
            bool inQuotes = false, quotedField = false, any = false;
            int c;
            while ((c = reader.Read()) != -1)
            {
                any = true;
                char ch = (char)c;
                if (inQuotes)
                {
                    if (ch == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                        else inQuotes = false;
                    }
                    else
                    {
                        if (ch == '\n') line++;
                        field.Append(ch);
                    }
                    continue;
                }
                if (ch == '"' && field.Length == 0 && !quotedField)
                {
                    inQuotes = quotedField = true;
                }
                else if (ch == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    quotedField = false;
                }
                else if (ch == '\r' || ch == '\n')
                {
                    if (ch == '\r' && reader.Peek() == '\n') reader.Read();
                    line++;
                    break;
                }
                else
                {
                    field.Append(ch);
                }
            }
            if (inQuotes)
                throw MilanInputException.InFile(path, $"line {start}: quoted field is not closed before the end of the file");
            if (!any) yield break;
            fields.Add(field.ToString());
            bool blank = fields.Count == 1 && fields[0].Length == 0 && !quotedField;
            if (!blank) yield return new CsvRecord(start, fields.ToArray());
            if (c == -1) yield break;
        }
    }
}
