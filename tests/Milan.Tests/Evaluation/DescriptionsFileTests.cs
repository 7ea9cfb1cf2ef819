using Milan.Evaluation;
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
        DescriptionsFile.Write(path, [("a/b", "layer1", 3, "text \"quoted\"")]);
        Assert.Equal("text \"quoted\"", DescriptionsFile.Read(path)["a/b:layer1:3"]);
        File.WriteAllText(path, "layer,description\nconv1,x\n");
        var error = Assert.Throws<MilanInputException>(() => DescriptionsFile.Read(path, "m"));
        Assert.Contains("'unit'", error.Message);
        Assert.Contains(path, error.Message);
    }
}
