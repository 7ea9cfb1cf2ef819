using System.Text;
using Milan.Annotations;
using Milan.Evaluation;
using Milan.Tests.Annotations;
using Milan.Tests.Support;

namespace Milan.Tests.BadInput;

/// <summary>
/// Bad CSV files given to the CSV readers: annotations.csv (<see cref="AnnotationTable"/>), a layer's
/// ids.csv and activations.csv (<see cref="TopImagesLayer"/>) and a descriptions CSV (<see cref="DescriptionsFile"/>).
/// </summary>
public class CsvBadInputTests
{
    private const string Annotations = "layer,unit,summary\nconv1,0,\"red, round things\"\nconv1,1,dog faces\n";

    private static string Write(TempFolder folder, string name, string text) => Refusal.Write(folder, name, Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(0, "empty file")]
    [InlineData(8, "column 'unit' missing")]             // "layer,un"
    [InlineData(30, "quoted field is not closed")]       // inside "red, round things"
    [InlineData(54, "2 field(s), expected 3")]           // "conv1,1" of the last row
    public void An_annotations_file_cut_inside_its_structure_is_refused_naming_it(int cut, string what)
    {
        using var folder = new TempFolder();
        string path = Write(folder, "annotations.csv", Annotations[..cut]);
        Refusal.Expect(path, () => AnnotationTable.Read(path), what);
    }

    [Theory]
    [InlineData("layer,unit,summary\nconv1,-1,x\n", "line 2, field 'unit': '-1' is not a unit number")]
    [InlineData("layer,unit,summary\nconv1,99999999999,x\n", "'99999999999' is not a unit number")]
    [InlineData("layer,unit,summary\nconv1,1.5,x\n", "'1.5' is not a unit number")]
    [InlineData("layer,unit,summary\n,3,x\n", "line 2, field 'layer': empty layer name")]
    [InlineData("name,unit,summary\nconv1,0,x\n", "column 'layer' missing in header")]
    [InlineData("layer;unit;summary\nconv1;0;x\n", "column 'layer' missing in header (found: layer;unit;summary")]
    public void Wrong_fields_and_headers_are_refused_with_the_line(string csv, string what)
    {
        using var folder = new TempFolder();
        string path = Write(folder, "annotations.csv", csv);
        Refusal.Expect(path, () => AnnotationTable.Read(path), what);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_and_a_byte_order_mark_is_not()
    {
        using var folder = new TempFolder();
        string latin1 = Refusal.Write(folder, "latin1.csv", Encoding.Latin1.GetBytes("layer,unit,summary\nconv1,0,caf\u00e9\n"));
        Refusal.Expect(latin1, () => AnnotationTable.Read(latin1), "not UTF-8 text", "0xE9");

        string bom = Refusal.Write(folder, "bom.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("layer,unit,summary\nconv1,0,caf\u00e9\n")]);
        Assert.Equal("caf\u00e9", AnnotationTable.Read(bom).Rows.Single().Summary);
    }

    [Theory]
    [InlineData("ids.csv", "0,1\n10\n", "line 2: 1 value(s), expected 2")]
    [InlineData("ids.csv", "0,1\n10,x\n", "line 2, value 2: 'x' is not an image index")]
    [InlineData("ids.csv", "0,1\n10,-4\n", "'-4' is not an image index")]
    [InlineData("ids.csv", "0,1\n", "1 row(s), but masks.npy holds 2 unit(s)")]
    [InlineData("activations.csv", "1.0,2.0\n3.0,four\n", "line 2, value 2: 'four' is not a number")]
    [InlineData("activations.csv", "1.0,\"2.0\n", "quoted field is not closed")]
    public void A_layers_ids_and_activations_must_fit_its_masks(string file, string csv, string what)
    {
        using var folder = new TempFolder();
        LayoutFixture.WriteLayer(folder.Path, "conv1", units: 2);
        string path = Write(folder, Path.Combine("conv1", file), csv);
        Refusal.Expect(path, () => TopImagesLayer.Open(Path.Combine(folder.Path, "conv1"), "conv1").Dispose(), what);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("layer,unit\nconv1,0\n", "column 'description' missing")]
    [InlineData("layer,unit,description\nconv1,0,red\n", "no 'model' column")]
    [InlineData("model,layer,unit,description\nm,conv1,0,red\nm,conv1,0,blue\n", "line 3: unit m:conv1:0 described twice")]
    [InlineData("model,layer,unit,description\nm,conv1,zero,red\n", "unit 'zero' is not a non-negative integer")]
    public void A_descriptions_file_is_checked_field_by_field(string csv, string what)
    {
        using var folder = new TempFolder();
        string path = Write(folder, "descriptions.csv", csv);
        Refusal.Expect(path, () => DescriptionsFile.Read(path), what);
    }

    [Fact]
    public void A_folder_where_the_file_should_be_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("annotations.csv");
        Directory.CreateDirectory(path);
        Refusal.Expect(path, () => AnnotationTable.Read(path), "is a folder");
    }

    [Fact]
    public void Spaces_and_non_ascii_names_are_read_and_named_when_broken()
    {
        using var folder = new TempFolder();
        string good = Write(folder, "jeu de données/annotations é.csv", Annotations);
        Assert.Equal(2, AnnotationTable.Read(good).Rows.Count);
        string broken = Write(folder, "jeu de données/annotations ü.csv", Annotations[..30]);
        Refusal.Expect(broken, () => AnnotationTable.Read(broken), "not closed");
    }

    [PermissionFact]
    public void An_unreadable_file_is_refused_naming_it()
    {
        using var folder = new TempFolder();
        string path = Write(folder, "annotations.csv", Annotations);
        Refusal.MakeUnreadable(path);
        Refusal.Expect(path, () => AnnotationTable.Read(path), "permission denied");
    }
}
