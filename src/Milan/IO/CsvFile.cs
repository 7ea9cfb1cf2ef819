using System.Globalization;
using System.Text;
using CsvHelper;

namespace Milan.IO;

/// <summary>One CSV record and the physical line (1-based) where it starts.</summary>
public readonly record struct CsvRecord(int Line, string[] Fields);

/// <summary>
/// The library's one CSV reader and writer (CsvHelper), for every CSV file it reads or writes:
/// annotations.csv, ids.csv and activations.csv, descriptions and result tables.
/// <para>
/// Reading follows Python's csv module in its default (excel) dialect, which the reference reads
/// annotations.csv with: comma-separated, fields optionally quoted with '"', a doubled quote inside
/// a quoted field is a literal quote, quoted fields may span lines, CRLF or LF line ends, empty lines
/// skipped, text after a closing quote appended to the field (Python's strict=False). The file must
/// be UTF-8 (a byte-order mark is ignored). Unlike Python, a quoted field still open at the end of the
/// file is an error naming the line where its record starts: it is almost always a cut file.
/// </para>
/// <para>
/// Writing quotes a field only when it holds a comma, a quote, CR or LF (Python's QUOTE_MINIMAL,
/// which also quotes CR), doubles quotes, ends every record with LF and replaces the file atomically.
/// </para>
/// </summary>
public static class CsvFile
{
    /// <summary>The records of a UTF-8 CSV file, in order; the header, if any, is the first.</summary>
    public static IReadOnlyList<CsvRecord> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(path, e);
        }
        CheckUtf8(bytes, path);
        return Parse(bytes, path);
    }

    /// <summary>The records of CSV text; <paramref name="path"/> names the source in errors.</summary>
    public static IReadOnlyList<CsvRecord> Parse(string text, string path) => Parse(Encoding.UTF8.GetBytes(text), path);

    private static IReadOnlyList<CsvRecord> Parse(byte[] bytes, string path)
    {
        int unterminatedLine = 0;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = false,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = record =>
            {
                if (record.Reason == CsvMalformedReason.UnterminatedQuote) unterminatedLine = (int)record.LineNumber;
            },
        };
        var records = new List<CsvRecord>();
        using var reader = CsvReader.Create(bytes, options);
        while (reader.Read())
        {
            if (unterminatedLine > 0)
                throw MilanInputException.InFile(path, $"line {unterminatedLine}: quoted field is not closed before the end of the file");
            var fields = new string[reader.FieldCount];
            for (int i = 0; i < fields.Length; i++) fields[i] = reader.GetString(i);
            records.Add(new CsvRecord((int)reader.LineNumber, fields));
        }
        return records;
    }

    /// <summary>Bytes that are not UTF-8 are an input error (as in Python), not silently replaced.</summary>
    private static void CheckUtf8(byte[] bytes, string path)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw MilanInputException.InFile(path, $"not UTF-8 text (byte 0x{e.BytesUnknown?.FirstOrDefault():X2} at offset {e.Index} cannot be decoded); save the file as UTF-8");
        }
    }

    /// <summary>
    /// Writes a header (none when null) and rows atomically; every row has the header's number of
    /// fields. Values are formatted invariantly: text as is, doubles so that they round-trip ("R"),
    /// NaN and null as an empty field (pandas' convention), booleans as true/false.
    /// </summary>
    public static void Write(string path, IReadOnlyList<string>? header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var options = CsvWriterOptions.Default with { Separator = ',', NewLine = "\n", Quoting = CsvQuoting.WhenNeeded };
        AtomicFile.Write(path, stream =>
        {
            using var writer = CsvWriter.Create(stream, options, leaveOpen: true);
            if (header is not null) writer.WriteRecord(header.ToArray());
            foreach (var row in rows)
            {
                if (header is not null && row.Count != header.Count)
                    throw new ArgumentException($"{path}: a row has {row.Count} fields for the {header.Count} columns {string.Join(",", header)}");
                foreach (var value in row) writer.WriteField(Format(value));
                writer.EndRecord();
            }
        });
    }

    /// <summary>A value as one CSV field (see <see cref="Write"/>).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string text => text,
        double d when double.IsNaN(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f when float.IsNaN(f) => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
