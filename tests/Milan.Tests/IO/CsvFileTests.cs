using System.Text;
using System.Text.Json;
using Milan.IO;
using Milan.Tests.Support;

namespace Milan.Tests.IO;

/// <summary>
/// The one CSV reader and writer, checked against Python's csv module (Debian's python3), the
/// reader the reference uses: the same records from the same bytes, and files Python reads back
/// field for field.
/// </summary>
public class CsvFileTests
{
    /// <summary>Well-formed and malformed quoting, blank lines, CRLF, empty fields, a byte-order mark, another separator.</summary>
    private static readonly string[] Inputs =
    [
        "a,b\n1,2\n",
        "a,\"b,c\"\n\n1,\"x\ny\"\n3,4",
        "\"ab\"c,d\n",
        "\"a\"a\"a\",z\n",
        "\"\"a\",z\n",
        "ab\"c,d\n",
        "\r\n\r\na,b\r\nc,d\r\n",
        "\"\"\n",
        ",\n",
        "a,b,\n",
        " \"a\" ,b\n",
        "a;b\n",
        "\uFEFFh,i\n",
        "caf\u00e9,\u65e5\u672c,\"q \"\"x\"\"\"\n",
    ];

    [Fact]
    public void Reads_every_input_as_pythons_csv_module_does()
    {
        using var folder = new TempFolder();
        var paths = Inputs.Select((text, i) =>
        {
            string path = folder.File($"{i}.csv");
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
            return path;
        }).ToArray();
        // csv.reader returns [] for an empty line; DictReader (the reference) skips those, as we do.
        string json = DebianPython.Run("""
            import csv, json, sys
            out = []
            for path in sys.argv[1:]:
                with open(path, newline='', encoding='utf-8-sig') as f:
                    out.append([row for row in csv.reader(f) if row])
            print(json.dumps(out))
            """, paths);
        var expected = JsonSerializer.Deserialize<string[][][]>(json)!;

        for (int i = 0; i < Inputs.Length; i++)
            Assert.Equal(expected[i], CsvFile.Read(paths[i]).Select(r => r.Fields).ToArray());
    }

    [Fact]
    public void Records_carry_the_line_where_they_start()
    {
        var records = CsvFile.Parse("h\n\n\"two\nlines\"\nlast\n", "x.csv");
        Assert.Equal(new[] { 1, 3, 5 }, records.Select(r => r.Line));
    }

    [Fact]
    public void An_unclosed_quote_names_the_line_of_its_record()
    {
        var error = Assert.Throws<MilanInputException>(() => CsvFile.Parse("a,b\n1,\"open\n2,3\n", "x.csv"));
        Assert.Equal("x.csv: line 2: quoted field is not closed before the end of the file", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_and_folders_are_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        string latin1 = folder.File("latin1.csv");
        File.WriteAllBytes(latin1, Encoding.Latin1.GetBytes("a,caf\u00e9\n"));
        var error = Assert.Throws<MilanInputException>(() => CsvFile.Read(latin1));
        Assert.StartsWith($"{latin1}: not UTF-8 text (byte 0xE9 at offset 5", error.Message);

        Assert.Equal($"{folder.Path}: is a folder; expected a file", Assert.Throws<MilanInputException>(() => CsvFile.Read(folder.Path)).Message);
        Assert.EndsWith("missing.csv: file not found", Assert.Throws<MilanInputException>(() => CsvFile.Read(folder.File("missing.csv"))).Message);
    }

    [Fact]
    public void Writes_minimal_quoting_lf_line_ends_and_invariant_numbers()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.csv");
        CsvFile.Write(path, ["text", "number", "flag"],
        [
            ["plain", 1.5e-7, true],
            ["a,b", double.NaN, false],
            ["say \"hi\"", 0.1 + 0.2, null],
            ["two\nlines", 3L, "cr\rx"],
        ]);
        Assert.Equal(
            "text,number,flag\nplain,1.5E-07,true\n\"a,b\",,false\n\"say \"\"hi\"\"\",0.30000000000000004,\n\"two\nlines\",3,\"cr\rx\"\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void What_it_writes_python_reads_back_field_for_field()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.csv");
        string[][] rows = [["layer", "unit", "description"], ["conv1", "0", "red, round \"things\""], ["04", "2", "a\nb"], ["x", "", " lead"]];
        CsvFile.Write(path, header: null, rows.Select(r => (IReadOnlyList<object?>)r));

        string json = DebianPython.Run("""
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.reader(f))))
            """, path);
        Assert.Equal(rows, JsonSerializer.Deserialize<string[][]>(json)!);
        Assert.Equal(rows, CsvFile.Read(path).Select(r => r.Fields).ToArray());
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_refused_and_nothing_is_written()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.csv");
        Assert.Throws<ArgumentException>(() => CsvFile.Write(path, ["a", "b"], [["1", "2"], ["3"]]));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }
}
