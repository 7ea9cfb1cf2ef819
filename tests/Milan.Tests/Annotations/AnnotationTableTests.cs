using System.Text;
using Milan.Annotations;
using Milan.World;
using Milan.Tests.Support;

namespace Milan.Tests.Annotations;

public class AnnotationTableTests
{
    private static AnnotationTable Read(TempFolder folder, string text, bool bom = false)
    {
        string path = folder.File("annotations.csv");
        File.WriteAllText(path, text, new UTF8Encoding(bom));
        return AnnotationTable.Read(path);
    }

    [Fact]
    public void Groups_rows_by_unit_in_order_of_first_appearance_with_line_numbers()
    {
        using var folder = new TempFolder();
        var table = Read(folder, LayoutFixture.AnnotationsCsv);

        Assert.Equal(13, table.Rows.Count);
        Assert.Equal(new[] { "conv2:5", "conv1:0", "conv1:3", "conv2:9" }, table.Units.Select(u => $"{u.Layer}:{u.Unit}"));
        Assert.Equal(new[] { 2, 3, 5, 13 }, table.Units.Select(u => u.FirstLine));
        Assert.Equal(new[] { 4, 4, 2, 3 }, table.Units.Select(u => u.Rows.Count));
        Assert.Equal(new[] { 13, 15, 16 }, table.Units[3].Rows.Select(r => r.Line)); // the quoted field spans lines 13-14
    }

    [Fact]
    public void The_policy_drops_short_units_and_keeps_the_first_n()
    {
        using var folder = new TempFolder();
        var table = Read(folder, LayoutFixture.AnnotationsCsv);

        var kept = table.Kept(3);
        Assert.Equal(new[] { "conv2:5", "conv1:0", "conv2:9" }, kept.Select(u => $"{u.Layer}:{u.Unit}"));
        Assert.Equal(new[] { "dog faces", "text with \"quotes\"", "animal heads" }, kept[1].Rows.Select(r => r.Summary));
        Assert.Equal(4, table.Kept(null).Count);
    }

    [Fact]
    public void Reads_a_byte_order_mark_extra_columns_and_column_order_like_python()
    {
        using var folder = new TempFolder();
        var table = Read(folder, "summary,worker,unit,layer\n\"a, b\",w1, 3 ,07\nc\"d,w2,1,x\n", bom: true);

        Assert.Equal(new[] { ("7", 3, "a, b"), ("x", 1, "c\"d") }, table.Rows.Select(r => (r.Layer, r.Unit, r.Summary)));
    }

    [Fact]
    public void A_missing_column_names_the_file_and_the_column()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MilanInputException>(() => Read(folder, "layer,unit,description\nconv1,0,x\n"));
        Assert.Equal($"{folder.File("annotations.csv")}: line 1: column 'summary' missing in header (found: layer,unit,description; expected layer,unit,summary)", error.Message);
    }

    [Theory]
    [InlineData("layer,unit,summary\nconv1,0,ok\nconv1,1\n", "line 3: 2 field(s), expected 3 (layer,unit,summary)")]
    [InlineData("layer,unit,summary\nconv1,zero,x\n", "line 2, field 'unit': 'zero' is not a unit number (expected an integer >= 0)")]
    [InlineData("layer,unit,summary\nconv1,-1,x\n", "line 2, field 'unit': '-1' is not a unit number (expected an integer >= 0)")]
    [InlineData("layer,unit,summary\n,1,x\n", "line 2, field 'layer': empty layer name")]
    [InlineData("layer,unit,summary\nconv1,1,\"never closed\nconv1,2,x\n", "line 2: quoted field is not closed before the end of the file")]
    [InlineData("", "empty file (expected the header 'layer,unit,summary')")]
    public void Malformed_rows_name_the_file_the_line_and_the_problem(string csv, string problem)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<MilanInputException>(() => Read(folder, csv));
        Assert.Equal($"{folder.File("annotations.csv")}: {problem}", error.Message);
    }

    [Fact]
    public void The_simulated_annotators_file_reads_back_row_for_row()
    {
        using var folder = new TempFolder();
        string path = folder.File("annotations.csv");
        Milan.World.AnnotationRow[] written = [new("conv1", 0, "red, round \"things\""), new("conv1", 0, "two\nlines"), new("007", 12, "")];
        SimulatedAnnotation.Write(path, written);

        var read = AnnotationTable.Read(path);
        Assert.Equal([("conv1", 0, "red, round \"things\"", 2), ("conv1", 0, "two\nlines", 3), ("7", 12, "", 5)],
            read.Rows.Select(r => (r.Layer, r.Unit, r.Summary, r.Line)));
    }
}
