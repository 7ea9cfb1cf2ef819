namespace Milan.IO;

/// <summary>
/// The header record of a CSV file and the columns looked up in it by name, as Python's
/// csv.DictReader does (exact names, the last of repeated names wins; surrounding spaces are
/// ignored). Errors name the file, the line and the column.
/// </summary>
public sealed class CsvHeader
{
    private readonly string _expected;

    /// <param name="path">The file, for errors.</param>
    /// <param name="header">The header record.</param>
    /// <param name="expected">The columns a reader needs, as shown in errors (e.g. <c>layer,unit,summary</c>).</param>
    public CsvHeader(string path, CsvRecord header, string expected)
    {
        Path = path;
        Record = header;
        _expected = expected;
    }

    /// <summary>The first record of <paramref name="records"/>; an empty file is an error saying which header was expected.</summary>
    public static CsvHeader First(string path, IReadOnlyList<CsvRecord> records, string expected) =>
        records.Count > 0 ? new CsvHeader(path, records[0], expected)
        : throw MilanInputException.InFile(path, $"empty file (expected the header '{expected}')");

    public string Path { get; }

    public CsvRecord Record { get; }

    /// <summary>The index of column <paramref name="name"/>, or -1 when the header lacks it.</summary>
    public int IndexOf(string name)
    {
        for (int i = Record.Fields.Length - 1; i >= 0; i--)
            if (Record.Fields[i].Trim() == name) return i;
        return -1;
    }

    /// <summary>The index of column <paramref name="name"/>; a header without it is an error.</summary>
    public int Require(string name)
    {
        int index = IndexOf(name);
        return index >= 0 ? index
            : throw MilanInputException.InFile(Path, $"line {Record.Line}: column '{name}' missing in header (found: {string.Join(",", Record.Fields)}; expected {_expected})");
    }

    /// <summary>Checks that <paramref name="record"/> reaches every one of <paramref name="columns"/>.</summary>
    public void CheckLength(CsvRecord record, params ReadOnlySpan<int> columns)
    {
        int needed = 0;
        foreach (int column in columns) needed = Math.Max(needed, column + 1);
        if (record.Fields.Length < needed)
            throw MilanInputException.InFile(Path, $"line {record.Line}: {record.Fields.Length} field(s), expected {Record.Fields.Length} ({string.Join(",", Record.Fields)})");
    }

    /// <summary>An error about one field of a record: "path: line N, field 'name': problem".</summary>
    public MilanInputException Error(CsvRecord record, int column, string problem) =>
        MilanInputException.InFile(Path, $"line {record.Line}, field '{Record.Fields[column].Trim()}': {problem}");
}
