using Milan.Evaluation;
using Milan.Experiments;
using Milan.Tests.Support;

namespace Milan.Tests.Evaluation;

public class DescriptionsFileTests
{
    [Fact]
    public void ReadsDescribeOutputWithAModelName()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "d.csv");
        File.WriteAllText(path, "layer,unit,description\nconv1,0,\"red, round things\"\n04,2,dogs\n");
        var read = DescriptionsFile.Read(path, "resnet18/world-a");
        Assert.Equal("red, round things", read["resnet18/world-a:conv1:0"]);
        Assert.Equal("dogs", read["resnet18/world-a:4:2"]);
    }

    [Fact]
    public void WrittenFilesRoundTripAndErrorsNameTheFile()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "d.csv");
        DescriptionsFile.Write(path, [new DescribedUnit("a/b", "layer1", 3, "text \"quoted\"")]);
        Assert.Equal("model,layer,unit,description\na/b,layer1,3,\"text \"\"quoted\"\"\"\n", File.ReadAllText(path));
        Assert.Equal("text \"quoted\"", DescriptionsFile.Read(path)["a/b:layer1:3"]);
        File.WriteAllText(path, "layer,description\nconv1,x\n");
        var error = Assert.Throws<MilanInputException>(() => DescriptionsFile.Read(path, "m"));
        Assert.Contains("'unit'", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Rows_without_a_model_round_trip_with_layers_in_canonical_form()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "d.csv");
        DescribedUnit[] rows = [new(null, "conv1", 0, "a, b"), new(null, "007", 5, "two\nlines"), new(null, "layer4", 63, "")];
        DescriptionsFile.Write(path, rows);

        Assert.StartsWith("layer,unit,description\n", File.ReadAllText(path));
        Assert.Equal(rows.Select(r => r with { Layer = r.Layer == "007" ? "7" : r.Layer }), DescriptionsFile.ReadRows(path));
    }

    [Fact]
    public void The_applications_read_layer_names_as_the_evaluation_does()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "d.csv");
        File.WriteAllText(path, "unit,layer,description,score\n2,04,dogs,0.5\n");

        Assert.Equal([new UnitDescription("4", 2, "dogs")], UnitDescription.ReadCsv(path));
        Assert.Equal("dogs", DescriptionsFile.Read(path, "m")["m:4:2"]);
    }

    [Fact]
    public void The_applications_refuse_a_file_of_several_models()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "d.csv");
        DescriptionsFile.Write(path, [new DescribedUnit("m1", "conv1", 0, "x"), new DescribedUnit("m2", "conv1", 0, "y")]);

        var error = Assert.Throws<MilanInputException>(() => UnitDescription.ReadCsv(path));
        Assert.Equal($"{path}: describes the units of several models (m1, m2); give one model's descriptions", error.Message);
    }

    [Theory]
    [InlineData("layer,unit,description\nconv1,0,a\n4,1,b\n04,1,c\n", "line 4: unit 4:1 described twice")]
    [InlineData("layer,unit,description\nconv1,-1,a\n", "line 2, field 'unit': unit '-1' is not a non-negative integer")]
    [InlineData("layer,unit,description\nconv1,0\n", "line 2: 2 field(s), expected 3 (layer,unit,description)")]
    [InlineData("", "empty file (expected the header 'layer,unit,description')")]
    public void Malformed_rows_name_the_file_the_line_and_the_field(string csv, string problem)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "d.csv");
        File.WriteAllText(path, csv);
        Assert.Equal($"{path}: {problem}", Assert.Throws<MilanInputException>(() => DescriptionsFile.ReadRows(path)).Message);
    }
}
